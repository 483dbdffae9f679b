package org.gnn4j.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;

/**
 * Mini-batches of graphs for training: every {@link #iterator()} is one epoch over the given
 * graph ids, in a fresh Fisher-Yates order drawn from the loader's own {@link SplittableRandom}
 * when shuffling (so epoch k's order depends only on the seed and k), cut into
 * {@link GraphBatch}es of {@code batchSize} graphs, the last one smaller unless {@code dropLast}.
 * Batches are built lazily, one per {@code next()}.
 */
public final class GraphLoader implements Iterable<GraphBatch> {
  private final GraphDataset data;
  private final int[] ids;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final SplittableRandom random;
  private final Context ctx;

  /**
   * @param ids the graphs to iterate (e.g. {@code data.train()}); copied
   * @param random drives the shuffles; consumed epoch after epoch (ignored without shuffle)
   */
  public GraphLoader(GraphDataset data, int[] ids, int batchSize, boolean shuffle,
                     boolean dropLast, SplittableRandom random, Context ctx) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("GraphLoader: batchSize must be >= 1 (got " + batchSize + ")");
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= data.numGraphs()) {
        throw new IllegalArgumentException("GraphLoader: ids[" + i + "] = " + ids[i]
            + " is out of range [0, " + data.numGraphs() + ")");
      }
    }
    if (shuffle && random == null) {
      throw new IllegalArgumentException("GraphLoader: shuffle needs a SplittableRandom (got null)");
    }
    this.data = data;
    this.ids = ids.clone();
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.random = random;
    this.ctx = ctx;
  }

  /** Batches per epoch. */
  public int numBatches() {
    return dropLast ? ids.length / batchSize : (ids.length + batchSize - 1) / batchSize;
  }

  /** The graph ids of one epoch, in batch order; advances the random stream when shuffling. */
  public int[] nextEpochOrder() {
    return shuffle ? Splits.shuffled(ids, random) : ids.clone();
  }

  @Override
  public Iterator<GraphBatch> iterator() {
    int[] order = nextEpochOrder();
    int batches = numBatches();
    return new Iterator<>() {
      private int b;

      @Override
      public boolean hasNext() {
        return b < batches;
      }

      @Override
      public GraphBatch next() {
        if (b >= batches) throw new NoSuchElementException("GraphLoader: epoch is over");
        int from = b++ * batchSize;
        int to = Math.min(order.length, from + batchSize);
        return GraphBatch.collate(data, Arrays.copyOfRange(order, from, to), ctx);
      }
    };
  }
}
