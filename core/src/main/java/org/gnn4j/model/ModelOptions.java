package org.gnn4j.model;

import java.util.Locale;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.pe.CycleCounts;

/**
 * The options of a {@code model:} section that only some layers take: GPS's global attention
 * ({@code attn_type}), the attention pattern of the plain transformer ({@code pattern}),
 * Graphormer's shared structural bias ({@code shared_bias}), the graph token or virtual node
 * ({@code graph_token}), Graphormer's centrality encoding ({@code encoder.degree}) and the form of
 * the Laplacian encoder ({@code encoder.pe_encoder}) and substructure counts ({@code
 * encoder.cycles}). Every default is the behaviour a config
 * without the key had before the key existed, and a key given to a layer that does not take it
 * is one error naming the key, its line, the layers that take it and the valid values.
 *
 * @param attnType GPS's global attention: exact multi-head or Performer
 * @param pattern who attends to whom in a {@code transformer_encoder} layer
 * @param sharedBias Graphormer: one spatial (and edge) bias for all layers, as in the paper
 * @param graphToken one extra node per graph joined to and from every node of it (Graphormer's
 *     graph token, Gilmer et al.'s master node / OGB's virtual node for message passing)
 * @param maxDegree the centrality encoding's largest degree kept apart; 0 for none
 * @param peEncoder how Laplacian encodings become {@code pe_dim} features
 * @param cycles K: per node, the numbers of simple cycles of lengths 3..K through it
 *     ({@link org.gnn4j.pe.CycleCounts}) are appended to the encoding's input; 0 for none
 * @param numBases RGCN over typed edges: W_r as a combination of this many bases (0: a full
 *     W_r per relation), PyG's {@code num_bases}
 * @param numBlocks RGCN: W_r block-diagonal with this many blocks (0: none), PyG's
 *     {@code num_blocks}; at most one of the two is set
 */
public record ModelOptions(GpsLayer.AttnType attnType, Pattern pattern, boolean sharedBias,
                           boolean graphToken, int maxDegree, PeEncoder peEncoder, int cycles,
                           int numBases, int numBlocks) {
  /** The attention pattern of {@code transformer_encoder}; {@link #toString} is the config spelling. */
  public enum Pattern {
    /** Every node attends to every node of its own graph: the Transformer on the complete graph. */
    COMPLETE,
    /** Every node attends to its in-neighbours and itself: a sparse Transformer on the graph. */
    GRAPH;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The Laplacian encoder ({@link org.gnn4j.pe.LapPeEncoder}); {@link #toString} is the config spelling. */
  public enum PeEncoder {
    /** One Linear(K -> pe_dim) on the eigenvector entries (Dwivedi et al.). */
    LINEAR,
    /** GraphGPS's DeepSets over (eigenvector entry, eigenvalue) pairs, padding masked. */
    DEEPSETS,
    /** DeepSets with phi(v) + phi(-v): flipping an eigenvector's sign cannot change it. */
    SIGN_INVARIANT;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a config without any of these keys means. */
  public static ModelOptions defaults() {
    return new ModelOptions(GpsLayer.AttnType.MULTIHEAD, Pattern.COMPLETE, false, false, 0,
        PeEncoder.LINEAR, 0, 0, 0);
  }

  /**
   * Reads the options from the {@code model} section {@code m} for {@code layer}.
   *
   * @param pe the positional encoding the config asked for
   * @param hetero whether the model is heterogeneous (which takes none of these options)
   */
  static ModelOptions from(ConfigNode m, ModelSpec.Layer layer, ModelSpec.Pe pe,
                           ModelSpec.Pooling pooling, boolean hetero) {
    ConfigNode enc = m.section("encoder");
    if (hetero) {
      for (String k : new String[] {"attn_type", "pattern", "shared_bias", "graph_token", "num_bases",
          "num_blocks"}) {
        if (m.has(k)) throw m.error(k, "is not used by a heterogeneous model (model.hetero); remove it");
      }
    }
    String attn = m.choice("attn_type", "multihead", "multihead", "performer");
    if (m.has("attn_type") && !layer.isGps()) {
      throw m.error("attn_type", "is the global attention of a GPS layer; layer '" + layer
          + "' has none (remove attn_type, or use layer gps_gin, gps_gine or gps_resgated;"
          + " valid attn_type: multihead, performer)");
    }
    Pattern pattern = m.choice("pattern", Pattern.COMPLETE, Pattern.class);
    if (m.has("pattern") && layer != ModelSpec.Layer.TRANSFORMER_ENCODER) {
      throw m.error("pattern", "is the attention pattern of layer transformer_encoder; layer '"
          + layer + "' " + (layer.isGps() || layer == ModelSpec.Layer.GRAPHORMER
              ? "attends within each graph by construction" : "passes messages along the graph's edges")
          + " and takes none (remove pattern, or use layer: transformer_encoder; valid pattern:"
          + " complete, graph)");
    }
    boolean shared = m.bool("shared_bias", false);
    if (m.has("shared_bias") && layer != ModelSpec.Layer.GRAPHORMER) {
      throw m.error("shared_bias", "is Graphormer's spatial bias shared across layers; layer '"
          + layer + "' has no such bias (remove shared_bias, or use layer: graphormer)");
    }
    boolean token = m.bool("graph_token", false);
    if (token && layer == ModelSpec.Layer.GRAPHORMER && !shared) {
      throw m.error("graph_token", "with layer graphormer needs shared_bias: true (the token's"
          + " own spatial bias lives in the shared bias table)");
    }
    if (token && layer == ModelSpec.Layer.GN) {
      throw m.error("graph_token", "layer gn keeps per-graph globals already (read them with"
          + " pooling: globals); remove graph_token");
    }
    if (pooling == ModelSpec.Pooling.TOKEN && !token) {
      throw m.error("pooling", "'token' reads out the graph token; set graph_token: true, or use"
          + " pooling sum, mean or max");
    }
    if (pooling == ModelSpec.Pooling.GLOBALS && layer != ModelSpec.Layer.GN) {
      throw m.error("pooling", "'globals' reads the global features of a Graph Network block;"
          + " layer '" + layer + "' has none (use layer: gn, or pooling sum, mean or max)");
    }
    int degree = enc.integer("degree", 0, 0, 1024);
    PeEncoder peEncoder = enc.choice("pe_encoder", PeEncoder.LINEAR, PeEncoder.class);
    if (enc.has("pe_encoder") && peEncoder != PeEncoder.LINEAR && pe != ModelSpec.Pe.LAP) {
      throw enc.error("pe_encoder", "'" + peEncoder + "' encodes Laplacian eigenvectors and their"
          + " eigenvalues; encoder.pe is '" + pe + "' (set pe: lap, or pe_encoder: linear)");
    }
    int bases = m.integer("num_bases", 0, 0, 1 << 16);
    int blocks = m.integer("num_blocks", 0, 0, 1 << 16);
    for (String k : new String[] {"num_bases", "num_blocks"}) {
      if (m.has(k) && layer != ModelSpec.Layer.RGCN) {
        throw m.error(k, "is an option of layer rgcn (its relation weights); layer '" + layer
            + "' has none (remove " + k + ")");
      }
    }
    if (bases > 0 && blocks > 0) {
      throw m.error("num_blocks", "and num_bases are exclusive (got num_bases " + bases
          + ", num_blocks " + blocks + "; set at most one)");
    }
    return new ModelOptions(GpsLayer.AttnType.of(attn), pattern, shared, token, degree, peEncoder,
        cycles(enc, pe), bases, blocks);
  }

  /** {@code encoder.cycles}: 0, or the longest cycle counted; appended to rwse or alone. */
  private static int cycles(ConfigNode enc, ModelSpec.Pe pe) {
    if (!enc.has("cycles")) return 0;
    int k = enc.integer("cycles", 0, 0, CycleCounts.MAX_LENGTH);
    if (k != 0 && k < CycleCounts.MIN_LENGTH) {
      throw enc.error("cycles", "is the longest cycle counted, and the shortest is "
          + CycleCounts.MIN_LENGTH + " (valid: 0 for none, or " + CycleCounts.MIN_LENGTH + " to "
          + CycleCounts.MAX_LENGTH + "; got " + k + ")");
    }
    if (k != 0 && pe == ModelSpec.Pe.LAP) {
      throw enc.error("cycles", "counts are appended to random-walk encodings, not to Laplacian"
          + " eigenvectors (their signs are flipped in training); use pe: rwse or pe: none with"
          + " cycles (valid cycles: 0 for none, or " + CycleCounts.MIN_LENGTH + " to "
          + CycleCounts.MAX_LENGTH + ")");
    }
    return k;
  }
}
