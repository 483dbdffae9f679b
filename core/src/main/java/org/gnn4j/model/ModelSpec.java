package org.gnn4j.model;

import java.util.Locale;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.nn.conv.HeteroConv;
import org.gnn4j.pe.CycleCounts;

/**
 * The architecture half of a config file ({@code model:} section), in the spirit of GraphGPS's
 * configs: input encoders, the layer type and count, widths, heads, dropout, residual and norm,
 * pooling and the prediction head. Parsing validates every value and names the valid ones; in
 * the file every choice is the lower-case name of its constant ({@code gps_gin}, {@code batch}).
 *
 * @param layer message-passing or transformer layer
 * @param hidden width of the node stream (for attention layers: all heads together)
 * @param outHeads heads of a GAT output layer when {@code head = conv} (averaged, as in the paper)
 * @param head {@code conv}: the last layer maps straight to the outputs (Kipf, GAT);
 *     {@code mlp}: layers keep the hidden width and an MLP of {@code headLayers} predicts
 * @param nodeEncoder {@code none} (first layer reads the raw features), {@code linear}, or
 *     {@code embedding} (of categorical node types)
 * @param edgeEncoder {@code none}, {@code linear} or {@code embedding} (of edge types), to width
 *     {@code hidden}
 * @param pe {@code none}, {@code lap} or {@code rwse}; its encoding of width {@code peDim} is
 *     concatenated to the encoded node features (GraphGPS)
 * @param initFrom a model checkpoint whose weights (all but the head's) initialise this model,
 *     e.g. from masked pre-training; null for none
 * @param hetero {@code model.hetero}: a {@link HeteroGraphModel} for heterogeneous data; null
 *     (the key absent) for the homogeneous {@link GraphModel}
 * @param options the keys only some layers take ({@link ModelOptions})
 */
public record ModelSpec(Layer layer, int layers, int hidden, int heads, int outHeads,
                        float dropout, float inputDropout, float attnDropout, Activation activation,
                        boolean residual, NormKind norm, Encoder nodeEncoder, Encoder edgeEncoder,
                        Pe pe, int peK, int peDim, Pooling pooling, Head head,
                        int headLayers, String initFrom, Hetero hetero, ModelOptions options) {
  /** The layer kinds a config can stack. */
  public enum Layer {
    GCN, GAT, GATV2, GIN, GINE, TRANSFORMER, RESGATED, GPS_GIN, GPS_GINE, GPS_RESGATED,
    GRAPH_TRANSFORMER, GRAPHORMER, SAGE, GRAPHCONV, HGT, RGCN, TRANSFORMER_ENCODER, GN,
    /** LightGCN: a whole recommendation model on user-item interaction data, not a layer stack. */
    LIGHTGCN;

    /**
     * Layers over a whole heterogeneous graph. RGCN also has a homogeneous form: one node set
     * whose edges carry a relation id (a node dataset with edge types).
     */
    public boolean isNativeHetero() {
      return this == HGT || this == RGCN;
    }

    /** Whether the layer reads the relation id of every edge (homogeneous RGCN). */
    public boolean readsRelations() {
      return this == RGCN;
    }

    /**
     * Layers {@code model.hetero} can copy per relation: those that run bipartite, from one
     * node type to another.
     */
    public boolean runsBipartite() {
      return this == SAGE || this == GRAPHCONV || this == RESGATED || this == GAT
          || this == GATV2 || this == TRANSFORMER;
    }

    /** Transformer-style layers carry their own norms and residuals; the model adds none. */
    public boolean normalisesItself() {
      return isGps() || this == GRAPH_TRANSFORMER || this == GRAPHORMER
          || this == TRANSFORMER_ENCODER || this == GN;
    }

    public boolean isGps() {
      return this == GPS_GIN || this == GPS_GINE || this == GPS_RESGATED;
    }

    /** Whether the layer cannot run without edge features. */
    public boolean needsEdgeFeatures() {
      return this == GINE || this == GPS_GINE || this == GN;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The non-linearity after each layer's norm ({@code model.activation}). */
  public enum Activation { RELU, ELU, GELU }

  /** The norm after each layer ({@code model.norm}): none, batch norm or layer norm. */
  public enum NormKind { NONE, BATCH, LAYER }

  /** How raw node or edge inputs enter the model: as they are, through a linear layer, or as embedded type ids. */
  public enum Encoder { NONE, LINEAR, EMBEDDING }

  /** Positional encoding kinds; {@link #toString} is the config spelling. */
  public enum Pe {
    NONE, LAP, RWSE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Graph readout: pool the nodes, read the graph token, or a GN block's globals. */
  public enum Pooling { NONE, SUM, MEAN, MAX, TOKEN, GLOBALS }

  /** The prediction head: the last layer itself ({@code conv}) or an MLP after the stack. */
  public enum Head { CONV, MLP }

  /**
   * The {@code model.hetero} section: PyG's {@code to_hetero} of the model's layer (one copy per
   * relation, combined per target type by {@code aggr}), or a native heterogeneous layer.
   *
   * @param aggr how the relations into one node type combine (sum, mean or max); to_hetero only
   */
  public record Hetero(HeteroConv.Aggr aggr) {
    /** Keys of the homogeneous model that a heterogeneous one does not read. */
    private static final String[] HOMOGENEOUS_ONLY = {"norm", "residual", "encoder", "pooling", "head",
        "out_heads", "init_from"};

    static Hetero from(ConfigNode m, Layer layer) {
      ConfigNode h = m.section("hetero");
      if (layer.isNativeHetero() && h.has("aggr")) {
        throw h.error("aggr", "combines the per-relation copies of a to_hetero layer; " + layer
            + " combines its relations itself (remove aggr)");
      }
      if (!layer.isNativeHetero() && !layer.runsBipartite()) {
        throw m.error("layer", "'" + layer + "' cannot run bipartite across two node types, so"
            + " model.hetero cannot copy it per relation (use sage, graphconv, gat, gatv2,"
            + " transformer or resgated, or the heterogeneous layers hgt, rgcn; gcn, gin and gine"
            + " need one node set)");
      }
      for (String k : HOMOGENEOUS_ONLY) {
        if (m.has(k)) throw m.error(k, "is not used by a heterogeneous model (model.hetero); remove it");
      }
      return new Hetero(h.choice("aggr", HeteroConv.Aggr.SUM, HeteroConv.Aggr.class));
    }
  }

  /** Reads the {@code model} section. */
  public static ModelSpec from(ConfigNode m) {
    Layer layer = m.choice("layer", Layer.GCN, Layer.class);
    int layers = m.integer("layers", 2, 1, 64);
    int hidden = m.integer("hidden", 64, 1, 1 << 16);
    int heads = m.integer("heads", 1, 1, 64);
    if (hidden % heads != 0) {
      throw m.error("hidden", "must be divisible by heads = " + heads + " (found " + hidden + ")");
    }
    int outHeads = m.integer("out_heads", 1, 1, 64);
    float dropout = (float) m.number("dropout", 0.0, 0, 0.99);
    float inputDropout = (float) m.number("input_dropout", 0.0, 0, 0.99);
    float attnDropout = (float) m.number("attn_dropout", 0.0, 0, 0.99);
    Activation act = m.choice("activation", Activation.RELU, Activation.class);
    boolean residual = m.bool("residual", false);
    NormKind norm = m.choice("norm", NormKind.NONE, NormKind.class);
    ConfigNode enc = m.section("encoder");
    Encoder nodeEnc = enc.choice("node", Encoder.NONE, Encoder.class);
    Encoder edgeEnc = enc.choice("edge", Encoder.NONE, Encoder.class);
    Pe pe = enc.choice("pe", Pe.NONE, Pe.class);
    int peK = enc.integer("pe_k", 8, 1, 256);
    int peDim = enc.integer("pe_dim", pe == Pe.NONE && enc.integer("cycles", 0) == 0 ? 0 : 8, 0, hidden - 1);
    Pooling pooling = m.choice("pooling", Pooling.NONE, Pooling.class);
    ConfigNode headNode = m.section("head");
    Head head = headNode.choice("type", Head.MLP, Head.class);
    int headLayers = headNode.integer("layers", 2, 1, 8);
    if (head == Head.CONV && (layer.isGps() || layer == Layer.TRANSFORMER_ENCODER || layer == Layer.GN)) {
      throw headNode.error("type", "'conv' heads need a layer that changes width; use 'mlp' with " + layer);
    }
    if (pe != Pe.NONE && nodeEnc == Encoder.NONE) {
      throw enc.error("pe", "a positional encoding is concatenated to encoded features; set encoder.node too");
    }
    Hetero hetero = null;
    if (m.has("hetero")) {
      hetero = Hetero.from(m, layer);
    } else if (layer == Layer.HGT) {
      throw m.error("layer", "'" + layer + "' is a heterogeneous layer; it needs model.hetero (e.g."
          + " hetero: {}) and a heterogeneous dataset such as user_item");
    } else if (layer == Layer.RGCN && edgeEnc != Encoder.NONE) {
      throw enc.error("edge", "layer rgcn reads each edge's relation id as it is; encoder.edge must"
          + " be none (got " + edgeEnc.name().toLowerCase(Locale.ROOT) + ")");
    }
    String initFrom = m.string("init_from", null);
    ModelOptions options = ModelOptions.from(m, layer, pe, pooling, hetero != null);
    if (options.cycles() > 0 && nodeEnc == Encoder.NONE) {
      throw enc.error("cycles", "cycle counts are encoded and concatenated to encoded features; set encoder.node too");
    }
    if (options.cycles() > 0 && peDim == 0) {
      throw enc.error("pe_dim", "is the width the cycle counts (encoder.cycles) are encoded to; valid: 1 to " + (hidden - 1));
    }
    return new ModelSpec(layer, layers, hidden, heads, outHeads, dropout, inputDropout,
        attnDropout, act, residual, norm, nodeEnc, edgeEnc, pe, peK, peDim, pooling, head,
        headLayers, initFrom, hetero, options);
  }

  /**
   * The encoding the data must supply: {@code none}, {@code rwse}, {@code lap} (eigenvectors
   * [N, K]) or {@code lap_spectrum} (eigenvectors, eigenvalues and padding mask [N, 3K], what a
   * DeepSets encoder reads).
   */
  public String peInput() {
    return pe == Pe.LAP && options.peEncoder() != ModelOptions.PeEncoder.LINEAR ? "lap_spectrum" : pe.toString();
  }

  /** Whether the model reads a per-node encoding input: positions, cycle counts or both. */
  public boolean usesEncodingInput() {
    return pe != Pe.NONE || options.cycles() > 0;
  }

  /**
   * Columns of the encoding input a linear encoder reads: the K of {@code rwse} or {@code lap}
   * (none without pe), then the cycle counts' K - 2 (none without cycles).
   */
  public int encodingWidth() {
    return (pe == Pe.NONE ? 0 : peK) + (options.cycles() > 0 ? CycleCounts.width(options.cycles()) : 0);
  }

  /** Whether the layer reads edge features. */
  public boolean usesEdgeFeatures() {
    return layer.needsEdgeFeatures();
  }
}
