package org.gnn4j.link;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.graph.EdgeIndex;

/**
 * Neighbour sampling for link mini-batches (PyG's {@code LinkNeighborLoader}): from a batch of
 * seed links, the endpoints of every link become the targets of a {@link NeighborSampler} over
 * the message-passing graph, so the sample holds the sampled neighbourhoods of both endpoints,
 * and an encoder with as many layers as hops computes their embeddings on it. The batch's
 * positive links are then removed from the sampled edges (both directions for an undirected
 * graph): a link the loss asks about must not be a message the encoder sees, or the model
 * learns to detect its own input. Stateless: randomness comes from each call's stream.
 */
public final class LinkNeighborSampler {
  private final NeighborSampler sampler;
  private final int numNodes;
  private final boolean undirected;

  /** A sampled batch: the subgraph (targets = the distinct endpoints) and the seed links on it. */
  public record Batch(NeighborSampler.Subgraph subgraph, NodePairs localSeeds, int removedEdges) {}

  /**
   * @param messagePassing the graph messages are sampled from
   * @param fanouts neighbours per node at each hop (-1 for all), as {@link NeighborSampler}
   * @param undirected whether removing link (u, v) also removes the edge v -> u
   */
  public LinkNeighborSampler(EdgeIndex messagePassing, int[] fanouts, boolean undirected) {
    this.sampler = new NeighborSampler(messagePassing, fanouts);
    this.numNodes = messagePassing.numDstNodes();
    this.undirected = undirected;
  }

  /**
   * @param seeds the links to score (positives and negatives), global node ids
   * @param positives the links among them that are edges: removed from the sampled graph
   */
  public Batch sample(NodePairs seeds, NodePairs positives, SplittableRandom rng) {
    int[] targets = distinctEndpoints(seeds);
    NeighborSampler.Subgraph sg = sampler.sample(targets, rng);
    int[] ls = new int[seeds.size()];
    int[] ld = new int[seeds.size()];
    for (int i = 0; i < seeds.size(); i++) {
      ls[i] = Arrays.binarySearch(targets, seeds.src()[i]);
      ld[i] = Arrays.binarySearch(targets, seeds.dst()[i]);
    }
    PairSet banned = PairSet.of(positives, numNodes, undirected);
    int[] nodes = sg.nodes();
    EdgeIndex e = sg.edges();
    int[] keep = new int[e.numEdges()];
    int k = 0;
    for (int i = 0; i < e.numEdges(); i++) {
      long key = NodePairs.key(nodes[e.src()[i]], nodes[e.dst()[i]], numNodes);
      if (!banned.contains(key)) keep[k++] = i;
    }
    int[] s = new int[k];
    int[] d = new int[k];
    int[] ids = new int[k];
    for (int i = 0; i < k; i++) {
      s[i] = e.src()[keep[i]];
      d[i] = e.dst()[keep[i]];
      ids[i] = sg.edgeIds()[keep[i]];
    }
    NeighborSampler.Subgraph filtered = new NeighborSampler.Subgraph(nodes, sg.numTargets(),
        EdgeIndex.of(s, d, nodes.length), ids, sg.hopEnds());
    return new Batch(filtered, new NodePairs(ls, ld), e.numEdges() - k);
  }

  /** The nodes of the seed links, each once, ascending (so a binary search finds a node's row). */
  private int[] distinctEndpoints(NodePairs seeds) {
    int[] all = Arrays.copyOf(seeds.src(), 2 * seeds.size());
    System.arraycopy(seeds.dst(), 0, all, seeds.size(), seeds.size());
    for (int i = 0; i < all.length; i++) {
      if (all[i] < 0 || all[i] >= numNodes) {
        throw new IllegalArgumentException("LinkNeighborSampler: seed node " + all[i]
            + " is out of range [0, " + numNodes + ")");
      }
    }
    Arrays.sort(all);
    int m = 0;
    for (int i = 0; i < all.length; i++) if (i == 0 || all[i] != all[i - 1]) all[m++] = all[i];
    return Arrays.copyOf(all, m);
  }
}
