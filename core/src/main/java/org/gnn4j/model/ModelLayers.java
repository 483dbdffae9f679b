package org.gnn4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.tensor.Context;

/**
 * Turns the layer of a {@link ModelSpec} into the constructor arguments of its class, so that
 * {@link LayerFactory} builds a config's layers exactly as it builds a PyG fixture's: this file
 * holds only what a config means (widths from {@code hidden} and {@code heads}, an output layer
 * that averages its heads, the width of the encoded edge stream).
 */
final class ModelLayers {
  private ModelLayers() {}

  /** Largest shortest-path distance Graphormer tells apart. */
  static final int MAX_DIST = 20;

  /**
   * @param in input width; out output width
   * @param outputLayer whether this is the last layer of a {@code head: conv} model
   * @param edgeWidth width of the edge stream the layer receives (0 for none)
   */
  static GraphLayer create(Context ctx, ModelSpec spec, int in, int out, boolean outputLayer,
                           int edgeWidth, SplittableRandom rng) {
    return create(ctx, spec, in, out, outputLayer, edgeWidth, 0, rng);
  }

  /** @param numRelations relations of the typed edges an {@code rgcn} layer reads (0: none) */
  static GraphLayer create(Context ctx, ModelSpec spec, int in, int out, boolean outputLayer,
                           int edgeWidth, int numRelations, SplittableRandom rng) {
    int heads = outputLayer ? spec.outHeads() : spec.heads();
    if (!outputLayer && out % heads != 0) {
      throw new IllegalArgumentException("model: hidden " + out + " is not divisible by heads " + heads);
    }
    int perHead = outputLayer ? out : out / heads;
    Map<String, Object> kw = new LinkedHashMap<>();
    String cls;
    switch (spec.layer()) {
      case GCN -> {
        cls = "GCNConv";
        kw.put("in_channels", in);
        kw.put("out_channels", out);
      }
      case GAT, GATV2 -> {
        cls = spec.layer() == ModelSpec.Layer.GAT ? "GATConv" : "GATv2Conv";
        kw.put("in_channels", in);
        kw.put("out_channels", perHead);
        kw.put("heads", heads);
        kw.put("concat", !outputLayer);
        kw.put("dropout", spec.attnDropout());
      }
      case GIN, GINE -> {
        cls = spec.layer() == ModelSpec.Layer.GIN ? "GINConv" : "GINEConv";
        kw.put("nn", LayerFactory.sequential(in, out, out));
        if (spec.layer() == ModelSpec.Layer.GINE) kw.put("edge_dim", gineEdgeDim(spec, in, edgeWidth));
      }
      case TRANSFORMER -> {
        cls = "TransformerConv";
        kw.put("in_channels", in);
        kw.put("out_channels", perHead);
        kw.put("heads", heads);
        kw.put("concat", !outputLayer);
        kw.put("edge_dim", edgeWidth);
      }
      case SAGE, GRAPHCONV -> {
        cls = spec.layer() == ModelSpec.Layer.SAGE ? "SAGEConv" : "GraphConv";
        kw.put("in_channels", in);
        kw.put("out_channels", out);
      }
      case RGCN -> {
        if (numRelations < 1) {
          throw new IllegalArgumentException("model: layer rgcn reads the relation of every edge, and"
              + " the dataset has none (a node dataset gives them in edge_type.tsv.gz, with"
              + " num_relations in meta.json)");
        }
        cls = "RGCNConv";
        kw.put("in_channels", in);
        kw.put("out_channels", out);
        kw.put("num_relations", numRelations);
        if (spec.options().numBases() > 0) kw.put("num_bases", spec.options().numBases());
        if (spec.options().numBlocks() > 0) kw.put("num_blocks", spec.options().numBlocks());
      }
      case RESGATED -> {
        cls = "ResGatedGraphConv";
        kw.put("in_channels", in);
        kw.put("out_channels", out);
        kw.put("edge_dim", edgeWidth);
      }
      case GPS_GIN, GPS_GINE, GPS_RESGATED -> {
        sameWidth(spec, in, out, "linear");
        cls = "GPSConv";
        Map<String, Object> conv = new LinkedHashMap<>();
        switch (spec.layer()) {
          case GPS_GIN -> conv.put("class", "GINConv");
          case GPS_GINE -> {
            conv.put("class", "GINEConv");
            conv.put("edge_dim", gineEdgeDim(spec, in, edgeWidth));
          }
          default -> {
            conv.put("class", "ResGatedGraphConv");
            conv.put("in_channels", in);
            conv.put("edge_dim", edgeWidth);
          }
        }
        kw.put("channels", out);
        kw.put("conv", conv);
        kw.put("heads", spec.heads());
        if (spec.options().attnType() == GpsLayer.AttnType.PERFORMER) kw.put("attn_type", "performer");
      }
      case GRAPH_TRANSFORMER -> {
        sameWidth(spec, in, out, "linear or embedding");
        if (edgeWidth > 0 && edgeWidth != out) {
          throw new IllegalArgumentException("model: graph_transformer updates edges at width hidden = "
              + out + "; the edges have " + edgeWidth + " features (set encoder.edge: linear or embedding)");
        }
        cls = "GraphTransformerLayer";
        kw.put("channels", out);
        kw.put("heads", spec.heads());
        kw.put("edge_features", edgeWidth > 0);
        kw.put("norm", spec.norm() == ModelSpec.NormKind.LAYER ? "layer" : "batch");
      }
      case GRAPHORMER -> {
        sameWidth(spec, in, out, "linear or embedding");
        cls = "GraphormerLayer";
        kw.put("channels", out);
        kw.put("heads", spec.heads());
        kw.put("ffn_channels", 2 * out);
        // a shared bias lives in the model (GraphModel's graphormer_bias), not in each layer
        boolean shared = spec.options().sharedBias();
        kw.put("max_dist", shared ? 0 : MAX_DIST);
        kw.put("edge_dim", shared ? 0 : edgeWidth);
      }
      case TRANSFORMER_ENCODER -> {
        sameWidth(spec, in, out, "linear or embedding");
        cls = "TransformerEncoderLayer";
        kw.put("d_model", out);
        kw.put("nhead", spec.heads());
        kw.put("dim_feedforward", 2 * out);
      }
      case GN -> {
        sameWidth(spec, in, out, "linear or embedding");
        if (edgeWidth != out) {
          throw new IllegalArgumentException("model: gn updates edges at width hidden = " + out
              + "; the edges have " + edgeWidth + " features (set encoder.edge: linear or embedding)");
        }
        cls = "GnLayer";
        kw.put("channels", out);
        kw.put("hidden_channels", out);
        kw.put("residual", true);
      }
      default -> throw new IllegalArgumentException("model: unknown layer '" + spec.layer() + "'");
    }
    return LayerFactory.create(ctx, cls, kw, rng);
  }

  /** An edge encoder already gives the node width: no extra lin, as PyG's edge_dim=None (0). */
  private static int gineEdgeDim(ModelSpec spec, int in, int edgeWidth) {
    return edgeWidth == in && spec.edgeEncoder() != ModelSpec.Encoder.NONE ? 0 : edgeWidth;
  }

  private static void sameWidth(ModelSpec spec, int in, int out, String encoders) {
    if (in != out) {
      throw new IllegalArgumentException("model: " + spec.layer() + " keeps the width; the input has "
          + in + " features and hidden is " + out + " (set encoder.node: " + encoders + ")");
    }
  }
}
