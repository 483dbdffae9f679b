package org.gnn4j.model;

import java.util.Locale;
import org.gnn4j.config.ConfigNode;

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
 */
public record ModelSpec(Layer layer, int layers, int hidden, int heads, int outHeads,
                        float dropout, float inputDropout, float attnDropout, Activation activation,
                        boolean residual, NormKind norm, Encoder nodeEncoder, Encoder edgeEncoder,
                        Pe pe, int peK, int peDim, Pooling pooling, Head head,
                        int headLayers, String initFrom) {
  /** The layer kinds a config can stack. */
  public enum Layer {
    GCN, GAT, GATV2, GIN, GINE, TRANSFORMER, RESGATED, GPS_GIN, GPS_GINE, GPS_RESGATED,
    GRAPH_TRANSFORMER, GRAPHORMER;

    /** Transformer-style layers carry their own norms and residuals; the model adds none. */
    public boolean normalisesItself() {
      return isGps() || this == GRAPH_TRANSFORMER || this == GRAPHORMER;
    }

    public boolean isGps() {
      return this == GPS_GIN || this == GPS_GINE || this == GPS_RESGATED;
    }

    /** Whether the layer cannot run without edge features. */
    public boolean needsEdgeFeatures() {
      return this == GINE || this == GPS_GINE;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Activation { RELU, ELU, GELU }

  public enum NormKind { NONE, BATCH, LAYER }

  public enum Encoder { NONE, LINEAR, EMBEDDING }

  /** Positional encoding kinds; {@link #toString} is the config spelling. */
  public enum Pe {
    NONE, LAP, RWSE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Pooling { NONE, SUM, MEAN, MAX }

  public enum Head { CONV, MLP }

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
    int peDim = enc.integer("pe_dim", pe == Pe.NONE ? 0 : 8, 0, hidden - 1);
    Pooling pooling = m.choice("pooling", Pooling.NONE, Pooling.class);
    ConfigNode headNode = m.section("head");
    Head head = headNode.choice("type", Head.MLP, Head.class);
    int headLayers = headNode.integer("layers", 2, 1, 8);
    if (head == Head.CONV && layer.isGps()) {
      throw headNode.error("type", "'conv' heads need a layer that changes width; use 'mlp' with " + layer);
    }
    if (pe != Pe.NONE && nodeEnc == Encoder.NONE) {
      throw enc.error("pe", "a positional encoding is concatenated to encoded features; set encoder.node too");
    }
    String initFrom = m.string("init_from", null);
    return new ModelSpec(layer, layers, hidden, heads, outHeads, dropout, inputDropout,
        attnDropout, act, residual, norm, nodeEnc, edgeEnc, pe, peK, peDim, pooling, head,
        headLayers, initFrom);
  }

  /** Whether the layer reads edge features. */
  public boolean usesEdgeFeatures() {
    return layer.needsEdgeFeatures();
  }
}
