package org.gnn4j.train;

import org.gnn4j.config.ConfigNode;

/**
 * The {@code link} section of a config, read when {@code train.objective} is {@code link}:
 * where the edge split comes from, the decoder, the loss and the negatives.
 *
 * <p>Keys: {@code split} (a split file in the format of the shared benchmark's link splits,
 * looked up in the dataset first, then as a path; {@code {seed}} in the name is replaced by the
 * run's seed) or, without it, a seeded random split with {@code val_fraction} (0.05),
 * {@code test_fraction} (0.1) and {@code disjoint_train_fraction} (0: supervision edges also
 * carry messages); {@code undirected} (default: whether every edge of the graph has its
 * reverse); {@code embedding_dim} (64, the encoder's output width); {@code decoder} (dot, mlp
 * with {@code mlp_hidden} widths, distmult); {@code loss} (bce, bpr); {@code negatives}
 * (uniform, per_source) and {@code neg_ratio} (> 0, negatives per training positive; a whole
 * number for bpr and per_source). {@code node} is the section itself, for errors about its keys.
 */
public record LinkSpec(String split, double valFraction, double testFraction, double disjointFraction,
                       Boolean undirected, int embeddingDim, String decoder, int[] mlpHidden,
                       String loss, String negatives, double negRatio, ConfigNode node) {
  static LinkSpec from(ConfigNode l) {
    String split = l.string("split", null);
    boolean random = split == null;
    double val = random ? l.number("val_fraction", 0.05, 0, 0.9) : 0;
    double test = random ? l.number("test_fraction", 0.1, 0, 0.9) : 0;
    double disjoint = random ? l.number("disjoint_train_fraction", 0, 0, 0.9) : 0;
    if (random && val + test >= 0.95) throw l.error("test_fraction", "val_fraction + test_fraction must leave training edges (< 0.95)");
    Boolean undirected = l.has("undirected") ? l.bool("undirected", true) : null;
    int dim = l.integer("embedding_dim", 64, 1, 1 << 16);
    String decoder = l.choice("decoder", "dot", "dot", "mlp", "distmult");
    int[] hidden = decoder.equals("mlp") ? l.integers("mlp_hidden", new int[] {dim}) : null;
    if (hidden != null) {
      for (int h : hidden) if (h < 1) throw l.error("mlp_hidden", "every width must be >= 1 (found " + h + ")");
    }
    String loss = l.choice("loss", "bce", "bce", "bpr");
    String negatives = l.choice("negatives", "uniform", "uniform", "per_source");
    double ratio = l.number("neg_ratio", 1.0);
    if (!(ratio > 0) || ratio > 1000) throw l.error("neg_ratio", "must be > 0 and <= 1000 (found " + ratio + ")");
    boolean whole = ratio == Math.rint(ratio);
    if (!whole && (loss.equals("bpr") || negatives.equals("per_source"))) {
      throw l.error("neg_ratio", "must be a whole number with " + (loss.equals("bpr") ? "loss: bpr"
          : "negatives: per_source") + " (each positive gets that many negatives; found " + ratio + ")");
    }
    return new LinkSpec(split, val, test, disjoint, undirected, dim, decoder, hidden, loss, negatives, ratio, l);
  }

  /** The split file name for a run with {@code seed}, or null for a random split. */
  public String splitFile(long seed) {
    return split == null ? null : split.replace("{seed}", Long.toString(seed));
  }
}
