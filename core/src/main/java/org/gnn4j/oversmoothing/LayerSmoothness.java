package org.gnn4j.oversmoothing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Tensor;

/**
 * Per-layer oversmoothing measures of a {@link GraphModel}: the {@link DirichletEnergy} and
 * {@link MeanAverageDistance} of the node representation each layer passes on (layer 0 is the
 * first message-passing layer), read with a {@link GraphModel.LayerProbe} during an ordinary
 * forward pass.
 *
 * @param dirichlet [L] energy after each layer ({@link DirichletEnergy#of})
 * @param normalised [L] degree-normalised energy ({@link DirichletEnergy#normalised})
 * @param relative [L] normalised energy over the mean squared row norm ({@link DirichletEnergy#relative})
 * @param mad [L] MAD after each layer
 */
public record LayerSmoothness(double[] dirichlet, double[] normalised, double[] relative, double[] mad) {

  /** A probe that measures each layer as the forward pass reaches it. */
  public static final class Probe implements GraphModel.LayerProbe {
    private final EdgeIndex edges;
    private final boolean withMad;
    private final List<double[]> rows = new ArrayList<>();

    /** @param withMad also MAD (O(N^2), see {@link MeanAverageDistance}) */
    public Probe(EdgeIndex edges, boolean withMad) {
      this.edges = edges;
      this.withMad = withMad;
    }

    @Override
    public void after(int layer, Tensor input, Tensor output) {
      rows.add(new double[] {DirichletEnergy.of(output, edges), DirichletEnergy.normalised(output, edges),
          DirichletEnergy.relative(output, edges),
          withMad ? MeanAverageDistance.of(output) : Double.NaN});
    }

    public LayerSmoothness result() {
      double[] d = new double[rows.size()];
      double[] n = new double[rows.size()];
      double[] r = new double[rows.size()];
      double[] m = new double[rows.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = rows.get(i)[0];
        n[i] = rows.get(i)[1];
        r[i] = rows.get(i)[2];
        m[i] = rows.get(i)[3];
      }
      return new LayerSmoothness(d, n, r, m);
    }
  }

  /** Runs the model in eval mode without gradients and measures every layer. */
  public static LayerSmoothness measure(GraphModel model, ModelInput in, boolean withMad) {
    Probe p = new Probe(in.graph().edges(), withMad);
    model.train(false);
    try (var s = model.namedParameters().values().iterator().next().ctx().noGrad()) {
      model.forward(in, p);
    } finally {
      model.train(true);
    }
    return p.result();
  }

  /**
   * {@code dirichlet_l<i>}, {@code dirichlet_norm_l<i>}, {@code dirichlet_rel_l<i>} and
   * {@code mad_l<i>} for every layer, for a metrics line.
   */
  public Map<String, Double> asMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < dirichlet.length; i++) m.put("dirichlet_l" + i, dirichlet[i]);
    for (int i = 0; i < normalised.length; i++) m.put("dirichlet_norm_l" + i, normalised[i]);
    for (int i = 0; i < relative.length; i++) m.put("dirichlet_rel_l" + i, relative[i]);
    for (int i = 0; i < mad.length; i++) if (!Double.isNaN(mad[i])) m.put("mad_l" + i, mad[i]);
    return m;
  }
}
