package org.gnn4j.model;

import org.gnn4j.config.ConfigNode;

/**
 * The architecture half of a config file ({@code model:} section), in the spirit of GraphGPS's
 * configs: input encoders, the layer type and count, widths, heads, dropout, residual and norm,
 * pooling and the prediction head. Parsing validates every value and names the valid ones.
 *
 * @param layer message-passing or transformer layer: see {@link #LAYERS}
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
 */
public record ModelSpec(String layer, int layers, int hidden, int heads, int outHeads,
                        float dropout, float inputDropout, float attnDropout, String activation,
                        boolean residual, String norm, String nodeEncoder, String edgeEncoder,
                        String pe, int peK, int peDim, String pooling, String head,
                        int headLayers, String initFrom) {
  public static final String[] LAYERS = {"gcn", "gat", "gatv2", "gin", "gine", "transformer",
      "resgated", "gps_gin", "gps_gine", "gps_resgated", "graph_transformer", "graphormer"};

  /** Reads the {@code model} section. */
  public static ModelSpec from(ConfigNode m) {
    String layer = m.choice("layer", "gcn", LAYERS);
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
    String act = m.choice("activation", "relu", "relu", "elu", "gelu");
    boolean residual = m.bool("residual", false);
    String norm = m.choice("norm", "none", "none", "batch", "layer");
    ConfigNode enc = m.section("encoder");
    String nodeEnc = enc.choice("node", "none", "none", "linear", "embedding");
    String edgeEnc = enc.choice("edge", "none", "none", "linear", "embedding");
    String pe = enc.choice("pe", "none", "none", "lap", "rwse");
    int peK = enc.integer("pe_k", 8, 1, 256);
    int peDim = enc.integer("pe_dim", pe.equals("none") ? 0 : 8, 0, hidden - 1);
    String pooling = m.choice("pooling", "none", "none", "sum", "mean", "max");
    ConfigNode headNode = m.section("head");
    String head = headNode.choice("type", "mlp", "conv", "mlp");
    int headLayers = headNode.integer("layers", 2, 1, 8);
    if (head.equals("conv") && layer.startsWith("gps")) {
      throw headNode.error("type", "'conv' heads need a layer that changes width; use 'mlp' with " + layer);
    }
    if (!pe.equals("none") && nodeEnc.equals("none")) {
      throw enc.error("pe", "a positional encoding is concatenated to encoded features; set encoder.node too");
    }
    String initFrom = m.string("init_from", null);
    return new ModelSpec(layer, layers, hidden, heads, outHeads, dropout, inputDropout,
        attnDropout, act, residual, norm, nodeEnc, edgeEnc, pe, peK, peDim, pooling, head,
        headLayers, initFrom);
  }

  /** Whether the layer reads edge features. */
  public boolean usesEdgeFeatures() {
    return layer.equals("gine") || layer.equals("gps_gine");
  }
}
