package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Node;
import org.gnn4j.tensor.Tensor;

/**
 * Inverted dropout, as torch.nn.functional.dropout: in training each element is zeroed with
 * probability p and the survivors scaled by 1 / (1 - p), so eval needs no rescaling. The mask
 * comes from the given random stream (split into fixed blocks, so it depends on the stream
 * only, not the thread count) and is kept as one bit per element for the backward pass.
 */
public final class Dropout {
  private Dropout() {}

  /** Dropout drawing its mask from the context's current stream ({@code Context#random}). */
  public static Tensor apply(Tensor x, float p, boolean training) {
    return apply(x, p, training, x != null && training && p > 0f && p < 1f ? x.ctx().random() : null);
  }

  /**
   * @param p drop probability in [0, 1]; 0, or {@code training == false}, returns x itself;
   *     1 returns zeros (with a zero gradient)
   * @param rng the stream the mask is drawn from (e.g. {@code ctx.newRandom()} once per layer)
   */
  public static Tensor apply(Tensor x, float p, boolean training, SplittableRandom rng) {
    if (x == null) throw new IllegalArgumentException("dropout: input is null");
    if (!(p >= 0f && p <= 1f)) {
      throw new IllegalArgumentException("dropout: probability out of range (got " + p
          + ", expected 0 <= p <= 1)");
    }
    if (!training || p == 0f) return x;
    int n = x.numel();
    long[] keep = new long[(n + 63) >>> 6];                // keep: bit i = element i survives
    float scale = 0f;
    if (p < 1f) {
      if (rng == null) throw new IllegalArgumentException("dropout: random stream is null");
      ContextAccess.kernels(x.ctx()).norm().dropoutMask(keep, rng, p, n, ContextAccess.parallel(x.ctx()));
      scale = 1f / (1f - p);
    }
    float[] y = ContextAccess.floats(x.ctx(), n);
    ContextAccess.kernels(x.ctx()).norm().dropoutApply(y, x.data(), keep, scale, n, ContextAccess.parallel(x.ctx()));
    return new Tensor(x.ctx(), x.shape(), y).recordedBy(new Backward(x, keep, scale));
  }

  private static final class Backward extends Node {
    private final long[] keep;
    private final float scale;

    Backward(Tensor x, long[] keep, float scale) {
      super(x);
      this.keep = keep;
      this.scale = scale;
    }

    @Override
    public void backward(float[] g) {                      // g: like x
      // y = mask x / (1 - p)  =>  dx = mask g / (1 - p)
      float[] dx = ContextAccess.floats(inputs()[0].ctx(), g.length);
      ContextAccess.kernels(inputs()[0].ctx()).norm().dropoutApply(dx, g, keep, scale, g.length, ContextAccess.parallel(inputs()[0].ctx()));
      accumulate(0, dx);
    }

    @Override
    public String name() {
      return "dropout";
    }
  }
}
