package org.gnn4j.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches of seed nodes of one type for training on a heterogeneous graph (PyG's
 * {@code NeighborLoader} with {@code input_nodes=(type, ids)}): every {@link #iterator()} is one
 * epoch over the seeds, in a fresh Fisher-Yates order when shuffling, cut into batches of
 * {@code batchSize} seeds (the last one smaller), each sampled by a
 * {@link HeteroNeighborSampler}. Epoch k draws from the k-th split of the loader's
 * {@link SplittableRandom}, and batch b of it from the b-th split of that, so one seed gives the
 * same epochs. Batches are sampled lazily, one per {@code next()}.
 */
public final class HeteroNeighborLoader implements Iterable<HeteroNeighborSampler.Subgraph> {
  private final HeteroNeighborSampler sampler;
  private final String seedType;
  private final int[] seeds;
  private final int batchSize;
  private final boolean shuffle;
  private final SplittableRandom random;

  /**
   * @param seeds distinct nodes of {@code seedType} to iterate (e.g. {@code data.train()}); copied
   * @param random drives the shuffles and the sampling; consumed epoch after epoch
   * @throws IllegalArgumentException on an unknown type, a seed out of range or repeated, or
   *     batchSize &lt; 1
   */
  public HeteroNeighborLoader(HeteroNeighborSampler sampler, String seedType, int[] seeds,
                              int batchSize, boolean shuffle, SplittableRandom random) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("HeteroNeighborLoader: batchSize must be >= 1 (got "
          + batchSize + ")");
    }
    if (random == null) {
      throw new IllegalArgumentException("HeteroNeighborLoader: needs a SplittableRandom (got null)");
    }
    int n = sampler.graph().numNodes(seedType);
    boolean[] seen = new boolean[n];
    for (int i = 0; i < seeds.length; i++) {
      if (seeds[i] < 0 || seeds[i] >= n) {
        throw new IllegalArgumentException("HeteroNeighborLoader: seeds[" + i + "] = " + seeds[i]
            + " is out of range [0, " + n + ") for node type '" + seedType + "'");
      }
      if (seen[seeds[i]]) {
        throw new IllegalArgumentException("HeteroNeighborLoader: seeds[" + i + "] = " + seeds[i]
            + " is repeated (expected distinct seeds)");
      }
      seen[seeds[i]] = true;
    }
    this.sampler = sampler;
    this.seedType = seedType;
    this.seeds = seeds.clone();
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.random = random;
  }

  /** Batches per epoch. */
  public int numBatches() {
    return (seeds.length + batchSize - 1) / batchSize;
  }

  @Override
  public Iterator<HeteroNeighborSampler.Subgraph> iterator() {
    SplittableRandom epoch = random.split();
    int[] order = shuffle ? Splits.shuffled(seeds, epoch) : seeds.clone();
    int batches = numBatches();
    return new Iterator<>() {
      private int b;

      @Override
      public boolean hasNext() {
        return b < batches;
      }

      @Override
      public HeteroNeighborSampler.Subgraph next() {
        if (b >= batches) throw new NoSuchElementException("HeteroNeighborLoader: epoch is over");
        int from = b++ * batchSize;
        int[] batch = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        return sampler.sample(seedType, batch, epoch.split());
      }
    };
  }
}
