package org.gnn4j.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Neighbour sampling on a {@link HeteroGraph}, as PyG's {@code NeighborLoader} does on
 * {@code HeteroData}: from seed nodes of one type, hop h visits, relation by relation in graph
 * order, every node first reached at hop h-1 (the seeds at hop 0) that is the target type of the
 * relation, and draws up to {@code fanouts[r][h]} of its incoming edges of that relation without
 * replacement (-1 takes all), adding their source nodes to the sample. Nodes reached in hop h are
 * expanded only in hop h+1, whichever relation reached them. The result is a sub-HeteroGraph with
 * local ids per type whose first rows of the seed type are the seeds, so a GNN with as many layers
 * as hops computes exact outputs for the seeds on it. Stateless: the randomness comes from the
 * {@link SplittableRandom} of each call, consumed in a fixed order (hop, relation, node), so one
 * seed gives one sample.
 */
public final class HeteroNeighborSampler {
  private static final String OP = "HeteroNeighborSampler";
  private final HeteroGraph graph;
  private final List<Relation> relations;
  private final int[][] fanouts; // [R][hops], in graph relation order
  private final int hops;

  /**
   * The sampled subgraph.
   *
   * @param graph all node types and relations of the original graph, over the sampled nodes
   *     (local ids); a type nobody reached has 0 nodes, a relation nothing was drawn from 0 edges
   * @param nodes node type -> [M_t] global id of every sampled node of that type, in local order
   * @param seedType the type of the seeds; they are its first {@code numSeeds} local nodes
   * @param edgeIds relation -> [E'_r] id in the original relation of every sampled edge
   * @param nodeHopEnds node type -> [hops + 1]: its nodes first reached at hop h are the local
   *     ids nodeHopEnds[h-1] .. nodeHopEnds[h]-1 (entry 0: the seeds, or 0 for other types), as
   *     PyG's {@code num_sampled_nodes}, for trimming layer by layer
   * @param edgeHopEnds relation -> [hops + 1]: its edges drawn at hop h are edgeHopEnds[h-1] ..
   *     edgeHopEnds[h]-1 (entry 0 is 0)
   */
  public record Subgraph(HeteroGraph graph, Map<String, int[]> nodes, String seedType,
                         int numSeeds, Map<Relation, int[]> edgeIds,
                         Map<String, int[]> nodeHopEnds, Map<Relation, int[]> edgeHopEnds) {
    /** The node features of the sample as tensors (a HeteroLayer's x): [M_t, F_t] per type. */
    public Map<String, Tensor> xTensors(HeteroDataset data, Context ctx) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (var e : features(data).entrySet()) out.put(e.getKey(), e.getValue().toTensor(ctx));
      return out;
    }

    /** The edge features of the sample as tensors: [E'_r, D_r] per relation that has them. */
    public Map<Relation, Tensor> edgeAttrTensors(HeteroDataset data, Context ctx) {
      Map<Relation, Tensor> out = new LinkedHashMap<>();
      for (var e : edgeFeatures(data).entrySet()) out.put(e.getKey(), e.getValue().toTensor(ctx));
      return out;
    }

    /** The feature rows of the sampled nodes, per type that has features: [M_t, F_t]. */
    public Map<String, Table> features(HeteroDataset data) {
      Map<String, Table> out = new LinkedHashMap<>();
      for (var e : data.x().entrySet()) out.put(e.getKey(), e.getValue().gather(nodes.get(e.getKey())));
      return out;
    }

    /** The edge feature rows of the sampled edges, per relation that has them: [E'_r, D_r]. */
    public Map<Relation, Table> edgeFeatures(HeteroDataset data) {
      Map<Relation, Table> out = new LinkedHashMap<>();
      for (var e : data.edgeAttr().entrySet()) {
        out.put(e.getKey(), e.getValue().gather(edgeIds.get(e.getKey())));
      }
      return out;
    }

    /** The global ids of the seeds, in the order given. */
    public int[] seeds() {
      return java.util.Arrays.copyOf(nodes.get(seedType), numSeeds);
    }

    /** The labels of the seeds from a per-node label array of the seed type: [numSeeds]. */
    public int[] seedLabels(int[] y) {
      int[] out = new int[numSeeds];
      int[] ids = nodes.get(seedType);
      for (int i = 0; i < numSeeds; i++) out[i] = y[ids[i]];
      return out;
    }
  }

  /**
   * @param fanouts relation -> neighbours per node at each hop (e.g. {@code {10, 5}}; -1 takes
   *     all, 0 none); every relation of the graph, all lists of one length (the number of hops)
   * @throws IllegalArgumentException naming the relation when one is missing or unknown, a list
   *     has another length, or a fan-out is below -1
   */
  public HeteroNeighborSampler(HeteroGraph graph, Map<Relation, int[]> fanouts) {
    this.graph = graph;
    this.relations = graph.relations();
    for (Relation r : fanouts.keySet()) graph.edges(r); // names the known relations
    this.fanouts = new int[relations.size()][];
    int h = -1;
    for (int i = 0; i < relations.size(); i++) {
      Relation r = relations.get(i);
      int[] f = fanouts.get(r);
      if (f == null) {
        throw new IllegalArgumentException(OP + ": no fan-outs for relation " + r
            + " (expected one list per relation; {0, ...} skips it)");
      }
      if (h >= 0 && f.length != h) {
        throw new IllegalArgumentException(OP + ": relation " + r + " has " + f.length
            + " fan-outs (got " + f.length + ", expected " + h + " like " + relations.get(0) + ")");
      }
      h = f.length;
      for (int k = 0; k < f.length; k++) {
        if (f[k] < -1) {
          throw new IllegalArgumentException(OP + ": relation " + r + ": fanouts[" + k + "] = "
              + f[k] + " (expected >= 0, or -1 for all neighbours)");
        }
      }
      this.fanouts[i] = f.clone();
    }
    this.hops = Math.max(h, 0);
  }

  /** The same fan-outs for every relation (PyG's {@code num_neighbors=[10, 5]}). */
  public static HeteroNeighborSampler uniform(HeteroGraph graph, int... fanouts) {
    Map<Relation, int[]> m = new LinkedHashMap<>();
    for (Relation r : graph.relations()) m.put(r, fanouts);
    return new HeteroNeighborSampler(graph, m);
  }

  public HeteroGraph graph() {
    return graph;
  }

  public int hops() {
    return hops;
  }

  /**
   * Samples around {@code seeds}, distinct nodes of {@code seedType}.
   *
   * @throws IllegalArgumentException if the type is unknown, or a seed is out of range or repeated
   */
  public Subgraph sample(String seedType, int[] seeds, SplittableRandom random) {
    List<String> types = graph.nodeTypes();
    int n = graph.numNodes(seedType);
    IdMap[] local = new IdMap[types.size()];
    for (int t = 0; t < local.length; t++) local[t] = new IdMap(16);
    IdMap seedMap = local[types.indexOf(seedType)];
    for (int i = 0; i < seeds.length; i++) {
      if (seeds[i] < 0 || seeds[i] >= n) {
        throw new IllegalArgumentException(OP + ": seeds[" + i + "] = " + seeds[i]
            + " is out of range [0, " + n + ") for node type '" + seedType + "'");
      }
      if (seedMap.getOrAdd(seeds[i]) != i) {
        throw new IllegalArgumentException(OP + ": seeds[" + i + "] = " + seeds[i]
            + " is repeated (expected distinct seeds)");
      }
    }
    int r = relations.size();
    IntBuf[] src = new IntBuf[r];
    IntBuf[] dst = new IntBuf[r];
    IntBuf[] ids = new IntBuf[r];
    for (int i = 0; i < r; i++) {
      src[i] = new IntBuf();
      dst[i] = new IntBuf();
      ids[i] = new IntBuf();
    }
    int[] from = new int[types.size()];
    int[] to = new int[types.size()];
    int[] scratch = new int[16];
    int[][] nodeEnds = new int[types.size()][hops + 1];
    int[][] edgeEnds = new int[r][hops + 1];
    for (int t = 0; t < types.size(); t++) nodeEnds[t][0] = local[t].size();
    for (int hop = 0; hop < hops; hop++) {
      for (int t = 0; t < to.length; t++) to[t] = local[t].size();
      for (int i = 0; i < r; i++) {
        Relation rel = relations.get(i);
        int d = types.indexOf(rel.dst());
        scratch = draw(graph.edges(rel).csrByDst(), fanouts[i][hop], local[d], from[d], to[d],
            local[types.indexOf(rel.src())], src[i], dst[i], ids[i], scratch, random);
      }
      System.arraycopy(to, 0, from, 0, to.length);
      for (int t = 0; t < types.size(); t++) nodeEnds[t][hop + 1] = local[t].size();
      for (int i = 0; i < r; i++) edgeEnds[i][hop + 1] = ids[i].size();
    }
    return result(types, local, seedType, seeds.length, src, dst, ids, nodeEnds, edgeEnds);
  }

  /**
   * For local targets {@code from .. to-1}, draws up to {@code fanout} in-edges each (partial
   * Fisher-Yates over the CSR row: the first k slots become a uniform k-subset) and appends them.
   *
   * @return the scratch buffer, grown if a degree needed it
   */
  private static int[] draw(Csr byDst, int fanout, IdMap targets, int from, int to,
                            IdMap sources, IntBuf src, IntBuf dst, IntBuf ids, int[] scratch,
                            SplittableRandom random) {
    if (fanout == 0) return scratch;
    int[] rowPtr = byDst.rowPtr();
    int[] col = byDst.col();
    int[] eid = byDst.edge();
    for (int v = from; v < to; v++) {
      int g = targets.key(v);
      int p0 = rowPtr[g];
      int deg = rowPtr[g + 1] - p0;
      int k = fanout < 0 ? deg : Math.min(fanout, deg);
      if (scratch.length < deg) scratch = new int[Math.max(deg, 2 * scratch.length)];
      for (int i = 0; i < deg; i++) scratch[i] = p0 + i;
      for (int i = 0; i < k; i++) {
        if (k < deg) {
          int j = i + random.nextInt(deg - i);
          int t = scratch[i];
          scratch[i] = scratch[j];
          scratch[j] = t;
        }
        int p = scratch[i];
        src.add(sources.getOrAdd(col[p]));
        dst.add(v);
        ids.add(eid[p]);
      }
    }
    return scratch;
  }

  private Subgraph result(List<String> types, IdMap[] local, String seedType, int numSeeds,
                          IntBuf[] src, IntBuf[] dst, IntBuf[] ids, int[][] nodeEnds,
                          int[][] edgeEnds) {
    HeteroGraph.Builder b = HeteroGraph.builder();
    Map<String, int[]> nodes = new LinkedHashMap<>();
    Map<String, int[]> nodeHopEnds = new LinkedHashMap<>();
    Map<Relation, int[]> edgeHopEnds = new LinkedHashMap<>();
    for (int t = 0; t < types.size(); t++) {
      nodeHopEnds.put(types.get(t), nodeEnds[t]);
      int[] g = new int[local[t].size()];
      for (int i = 0; i < g.length; i++) g[i] = local[t].key(i);
      nodes.put(types.get(t), g);
      b.nodes(types.get(t), g.length);
    }
    Map<Relation, int[]> edgeIds = new LinkedHashMap<>();
    for (int i = 0; i < relations.size(); i++) {
      b.edges(relations.get(i), src[i].toArray(), dst[i].toArray());
      edgeIds.put(relations.get(i), ids[i].toArray());
      edgeHopEnds.put(relations.get(i), edgeEnds[i]);
    }
    return new Subgraph(b.build(), Collections.unmodifiableMap(nodes), seedType, numSeeds,
        Collections.unmodifiableMap(edgeIds), Collections.unmodifiableMap(nodeHopEnds),
        Collections.unmodifiableMap(edgeHopEnds));
  }
}
