package org.gnn4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A multi-layer perceptron Linear, ReLU, Linear, ..., Linear, laid out like torch's
 * {@code Sequential}: the linear layers sit at positions 0, 2, 4, ... with ReLUs between them,
 * so their parameters are named {@code 0.weight}, {@code 2.bias}, ... and a PyG GIN's
 * {@code nn.0.weight} maps one to one.
 */
public final class Mlp implements Module {
  private final List<Linear> layers;

  /**
   * @param channels the widths, input first: {@code (16, 64, 8)} is Linear(16, 64), ReLU,
   *     Linear(64, 8); torch's default initialisation drawn from {@code rng}
   * @throws IllegalArgumentException with fewer than two widths or a width below 1
   */
  public Mlp(Context ctx, SplittableRandom rng, int... channels) {
    if (channels.length < 2) {
      throw new IllegalArgumentException("Mlp: needs at least an input and an output width (got "
          + channels.length + ")");
    }
    List<Linear> ls = new ArrayList<>();
    for (int i = 0; i + 1 < channels.length; i++) {
      if (channels[i] < 1 || channels[i + 1] < 1) {
        throw new IllegalArgumentException("Mlp: widths must be >= 1 (got "
            + java.util.Arrays.toString(channels) + ")");
      }
      ls.add(new Linear(ctx, channels[i], channels[i + 1], true, rng));
    }
    this.layers = List.copyOf(ls);
  }

  public int inChannels() {
    return layers.get(0).weight().dim(1);
  }

  public int outChannels() {
    return layers.get(layers.size() - 1).weight().dim(0);
  }

  /** x: [..., in] -> [..., out]; ReLU between the linear layers, none after the last. */
  public Tensor forward(Tensor x) {
    Tensor h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(h);
      if (i + 1 < layers.size()) h = h.relu();
    }
    return h;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) Module.addAll(m, Integer.toString(2 * i), layers.get(i));
    return m;
  }
}
