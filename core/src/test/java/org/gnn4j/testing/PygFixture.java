package org.gnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.io.Safetensors;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One PyG parity fixture from {@code src/test/resources/fixtures/pyg} (format in its README):
 * inputs, PyG parameters by state_dict name, the output, the projection r of the loss
 * {@code (out * r).sum()}, and the gradients. Helpers load parameters into a module and compare.
 */
public final class PygFixture {
  private final String name;
  private final Safetensors st;

  private PygFixture(String name, Safetensors st) {
    this.name = name;
    this.st = st;
  }

  public static PygFixture load(String stem) {
    String path = "/fixtures/pyg/" + stem + ".safetensors";
    try (InputStream in = PygFixture.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalArgumentException("no fixture " + path);
      return new PygFixture(stem, Safetensors.parse(in.readAllBytes(), path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public Map<String, String> metadata() {
    return st.metadata();
  }

  public boolean has(String key) {
    return st.has(key);
  }

  /** An F32 tensor of the fixture as a gnn4j tensor (a copy). */
  public Tensor tensor(Context ctx, String key) {
    Safetensors.Entry e = st.get(key);
    return ctx.tensor(e.floats(), e.shape());
  }

  public float[] floats(String key) {
    return st.get(key).floats();
  }

  /** An I64 tensor of the fixture as ints (e.g. the batch vector). */
  public int[] ints(String key) {
    long[] l = st.get(key).longs();
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
    return out;
  }

  /** The fixture's edge_index as a validated EdgeIndex over {@code numNodes} nodes. */
  public EdgeIndex edges(int numNodes) {
    return edges("edge_index", numNodes, numNodes);
  }

  /**
   * An I64 [2, E] edge tensor ({@code edge_index}, or {@code edge_index.<src>__<rel>__<dst>} of
   * a heterogeneous case) as a validated EdgeIndex from {@code numSrc} to {@code numDst} nodes.
   */
  public EdgeIndex edges(String key, int numSrc, int numDst) {
    long[] ei = st.get(key).longs();
    int e = ei.length / 2;
    int[] src = new int[e];
    int[] dst = new int[e];
    for (int k = 0; k < e; k++) {
      src[k] = (int) ei[k];
      dst[k] = (int) ei[e + k];
    }
    return EdgeIndex.bipartite(src, dst, numSrc, numDst);
  }

  /**
   * The heterogeneous graph of a hetero case: node types in the given order, each with the row
   * count of its {@code x.<type>}, and the relations' {@code edge_index.<relation>} in the given
   * order (the fixtures' metadata order: user, item; rates, rated_by, follows).
   */
  public HeteroGraph heteroGraph(List<String> nodeTypes, List<Relation> relations) {
    HeteroGraph.Builder b = HeteroGraph.builder();
    for (String t : nodeTypes) b.nodes(t, st.get("x." + t).shape()[0]);
    for (Relation r : relations) {
      EdgeIndex e = edges("edge_index." + r, st.get("x." + r.src()).shape()[0],
          st.get("x." + r.dst()).shape()[0]);
      b.edges(r, e.src(), e.dst());
    }
    return b.build();
  }

  /**
   * The loss of a heterogeneous case, sum over node types t of (out.t * r.t).sum(), as one
   * scalar so a single backward pass sees the layer's shared intermediates once.
   */
  public Tensor heteroLoss(Map<String, Tensor> out) {
    Tensor loss = null;
    for (var e : out.entrySet()) {
      Tensor r = tensor(e.getValue().ctx(), "r." + e.getKey());
      Tensor term = e.getValue().mul(r).sum();
      loss = loss == null ? term : loss.add(term);
    }
    return loss;
  }

  /** Copies every {@code param.<name>} of the fixture into the module's parameter of that name. */
  public void loadInto(Module m) {
    for (var p : m.namedParameters().entrySet()) {
      Safetensors.Entry e = st.get("param." + p.getKey());
      assertArrayEquals(e.shape(), p.getValue().shape().toArray(), "shape of " + p.getKey());
      System.arraycopy(e.floats(), 0, p.getValue().data(), 0, e.floats().length);
    }
  }

  /** Compares a computed array with the fixture's {@code key} at the tolerances. */
  public void assertMatches(String key, float[] actual) {
    OpAssert.assertClose(name + " " + key, st.get(key).floats(), actual, 1e-5, 1e-4);
  }
}
