package org.gnn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.InteractionDataset;
import org.gnn4j.data.InteractionSplit;

/**
 * The keys a recommendation config ({@code model.layer: lightgcn} on user-item interaction data)
 * adds to the usual sections: {@code dataset.min_rating} (keep ratings at or above it; 0 keeps
 * all), {@code dataset.test_split} ({@code reference}: the dataset's reference test file for
 * {@code train.seed}, {@code <name>-all-seed<s>-test.tsv.gz}, or {@code -ge<r>-} with a minimum
 * rating; {@code per_user}: a per-user 20% test split drawn with the seed; or a path to a
 * {@code userId TAB movieId} file), {@code train.reg_weight} (the weight of the L2 penalty on
 * the batch's layer-0 embeddings, divided by the batch size) and {@code train.top_k} (the K of
 * Recall@K, NDCG@K and Precision@K). A LightGCN model reads only {@code layers} and
 * {@code hidden}; any other model key is refused rather than silently ignored.
 */
public record RecommendationSpec(double minRating, String testSplit, float regWeight, int topK) {
  private static final Set<String> MODEL_KEYS = Set.of("layer", "layers", "hidden");

  static RecommendationSpec from(ConfigNode config) {
    ConfigNode m = config.section("model");
    for (String k : m.keys()) {
      if (!MODEL_KEYS.contains(k)) {
        throw m.error(k, "is not used by lightgcn (it reads layers and hidden only); remove it");
      }
    }
    ConfigNode d = config.section("dataset");
    ConfigNode t = config.section("train");
    return new RecommendationSpec(d.number("min_rating", 0, 0, 1e9), d.string("test_split", "reference"),
        (float) t.number("reg_weight", 1e-4, 0, 1e6), t.integer("top_k", 20, 1, 10_000));
  }

  /**
   * The train/test division this spec names for {@code data}.
   *
   * @param node the {@code dataset} section, for errors about {@code test_split}
   */
  InteractionSplit split(InteractionDataset data, long seed, ConfigNode node) {
    if (testSplit.equals("per_user")) return InteractionSplit.perUser(data, seed);
    if (!testSplit.equals("reference")) {
      Path p = Path.of(testSplit);
      if (!Files.isRegularFile(p)) throw node.error("test_split", "file " + p + " does not exist");
      return InteractionSplit.read(data, DataSource.directory(p.toAbsolutePath().getParent()),
          p.getFileName().toString());
    }
    String file = referenceFile(data.name(), seed);
    if (!data.source().has(file)) {
      throw node.error("test_split", "the data has no reference split for seed " + seed + " ("
          + data.source().describe(file) + "); use test_split: per_user for a per-user 20% split"
          + " drawn with the seed, or give a split file");
    }
    return InteractionSplit.read(data, data.source(), file);
  }

  /** The reference split's file name: {@code movielens_small-all-seed0-test.tsv.gz}. */
  String referenceFile(String dataName, long seed) {
    String kept = minRating == 0 ? "all" : "ge" + (minRating == Math.rint(minRating)
        ? String.valueOf((long) minRating) : String.format(Locale.ROOT, "%s", minRating));
    return dataName + "-" + kept + "-seed" + seed + "-test.tsv.gz";
  }
}
