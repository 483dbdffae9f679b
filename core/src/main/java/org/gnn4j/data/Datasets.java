package org.gnn4j.data;


import java.nio.file.Path;

/**
 * One entry point from a {@code --data} argument to a dataset: an embedded name (cora, karate,
 * mutag, proteins, enzymes, zinc_subset) or a directory in the plain format or the TU raw
 * format, telling node-level from graph-level datasets by their files. For the CLI and for users
 * who do not want to pick a reader.
 */
public final class Datasets {
  private Datasets() {}

  /** The format of a dataset directory or embedded dataset. */
  public enum Format {
    /** Plain format, one graph with per-node labels ({@link NodeDatasetReader}). */
    NODE,
    /** Plain format, many graphs ({@link GraphDatasetReader}). */
    GRAPH,
    /** TU raw text files ({@link TuDatasetReader}). */
    TU,
    /** Plain format, one heterogeneous graph ({@link HeteroDatasetReader}). */
    HETERO,
    /** User-item interactions, MovieLens layout ({@link InteractionDatasetReader}). */
    INTERACTIONS
  }

  /**
   * Which reader {@code dirOrName} needs: TU when a directory holds a {@code *_A.txt}, hetero
   * when meta.json says {@code "kind": "hetero"}, graph when it has {@code graph_sizes.tsv.gz},
   * else node.
   */
  public static Format formatOf(String dirOrName) {
    DataSource src = DataSource.resolve(dirOrName);
    if (!DataSource.isEmbedded(dirOrName) && TuDatasetReader.prefixIn(Path.of(dirOrName)) != null) {
      return Format.TU;
    }
    if (HeteroDatasetReader.isHetero(src)) return Format.HETERO;
    if (InteractionDatasetReader.isInteractions(src)) return Format.INTERACTIONS;
    return src.has("graph_sizes.tsv.gz") ? Format.GRAPH : Format.NODE;
  }

  /** A node dataset by embedded name or directory. */
  public static NodeDataset node(String dirOrName) {
    DataSource src = DataSource.resolve(dirOrName);
    if (HeteroDatasetReader.isHetero(src)) {
      throw new IllegalArgumentException("data: '" + dirOrName + "' is a heterogeneous dataset"
          + " (meta.json kind \"hetero\"; read it with Datasets.hetero, expected a node dataset)");
    }
    return NodeDatasetReader.read(DataSource.nameOf(dirOrName), src);
  }

  /** A graph dataset by embedded name or directory (plain or TU format). */
  public static GraphDataset graph(String dirOrName) {
    Format f = formatOf(dirOrName);
    if (f == Format.TU) return TuDatasetReader.fromDirectory(Path.of(dirOrName));
    if (f == Format.HETERO) {
      throw new IllegalArgumentException("data: '" + dirOrName + "' is a heterogeneous dataset"
          + " (meta.json kind \"hetero\"; read it with Datasets.hetero, expected a graph dataset)");
    }
    return GraphDatasetReader.read(DataSource.nameOf(dirOrName), DataSource.resolve(dirOrName));
  }

  /** A heterogeneous dataset by embedded name or directory. */
  public static HeteroDataset hetero(String dirOrName) {
    return HeteroDatasetReader.read(DataSource.nameOf(dirOrName), DataSource.resolve(dirOrName));
  }

  /**
   * A user-item interaction dataset by embedded name or directory: every rating {@code >=
   * minRating} an interaction (0 keeps all).
   */
  public static InteractionDataset interactions(String dirOrName, double minRating) {
    return InteractionDatasetReader.read(DataSource.nameOf(dirOrName), DataSource.resolve(dirOrName), minRating);
  }

  /** The statistics of any homogeneous dataset {@link #formatOf} recognises. */
  public static DatasetStats stats(String dirOrName) {
    Format f = formatOf(dirOrName);
    if (f == Format.HETERO || f == Format.INTERACTIONS) {
      throw new IllegalArgumentException("Datasets.stats: '" + dirOrName + "' is a "
          + (f == Format.HETERO ? "heterogeneous dataset (use HeteroStats.of(Datasets.hetero(...)))"
          : "user-item interaction dataset (read it with Datasets.interactions)"));
    }
    return f == Format.NODE ? DatasetStats.of(node(dirOrName))
        : DatasetStats.of(graph(dirOrName));
  }

  /** Whether {@code dirOrName} has a meta.json listing file sums (then {@link DataFiles#verify}). */
  public static boolean hasChecksums(String dirOrName) {
    DataSource src = DataSource.resolve(dirOrName);
    if (!src.has(Meta.FILE)) return false;
    return !Meta.read(src).object("files").isEmpty();
  }

}
