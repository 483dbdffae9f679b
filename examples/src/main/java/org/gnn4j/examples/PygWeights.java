package org.gnn4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.io.Json;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.StateDict;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Loads a PyTorch Geometric layer's weights from a safetensors file and runs the layer: the
 * bundled file is one of gnn4j's PyG parity fixtures (a {@code GCNConv}, its state_dict under
 * {@code param.}, an input graph and PyG's output), so the example can show gnn4j's output next
 * to PyG's. A file of your own needs only the state_dict; the layer's class and kwargs are what
 * you built it with in Python.
 */
public final class PygWeights {
  private PygWeights() {}

  /** gnn4j's output and PyG's, both [N, out], from the bundled file. */
  public record Outputs(float[] gnn4j, float[] pyg) {}

  @SuppressWarnings("unchecked")
  public static Outputs run() {
    Safetensors st = Safetensors.parse(bundled("gcn_g1.safetensors"), "gcn_g1.safetensors");
    String layerClass = st.metadata().get("layer");                          // "GCNConv"
    var kwargs = (Map<String, Object>) Json.parse(st.metadata().get("kwargs"), "kwargs");
    try (Context ctx = Context.builder().threads(1).build(); var inference = ctx.noGrad()) {
      GraphLayer layer = LayerFactory.create(ctx, layerClass, kwargs, ctx.newRandom());
      List<String> unused = StateDict.load(layer, st, "param.", "gcn_g1.safetensors");
      if (!unused.isEmpty()) throw new IllegalStateException("unused weights: " + unused);
      layer.train(false);
      Safetensors.Entry xe = st.get("x");
      Tensor x = ctx.tensor(xe.floats(), xe.shape());
      Graph graph = Graph.of(edges(st.get("edge_index"), xe.shape()[0]));
      Tensor out = layer.forward(x, graph, null);
      return new Outputs(out.data(), st.get("out").floats());
    }
  }

  private static EdgeIndex edges(Safetensors.Entry e, int n) {
    long[] l = e.longs();                                                    // [2, E], PyG's layout
    int m = e.shape()[1];
    int[] src = new int[m];
    int[] dst = new int[m];
    for (int k = 0; k < m; k++) {
      src[k] = Math.toIntExact(l[k]);
      dst[k] = Math.toIntExact(l[m + k]);
    }
    return EdgeIndex.of(src, dst, n);
  }

  private static byte[] bundled(String name) {
    try (InputStream in = PygWeights.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) {
    Outputs o = run();
    double max = 0;
    for (int i = 0; i < o.pyg().length; i++) max = Math.max(max, Math.abs(o.gnn4j()[i] - o.pyg()[i]));
    System.out.println("GCNConv output, max |gnn4j - PyG| = " + max);
  }
}
