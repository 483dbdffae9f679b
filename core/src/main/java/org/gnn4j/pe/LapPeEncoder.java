package org.gnn4j.pe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Reshape;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A learned encoder of Laplacian positional encodings ({@link LaplacianPe}) into a [N, D]
 * tensor to add to (or concatenate with) node features. {@link Kind#LINEAR} is one
 * Linear(K -> D) on each node's eigenvector entries (Dwivedi et al., arXiv:2003.00982).
 * {@link Kind#DEEP_SETS} is GraphGPS's DeepSets LapPE (Rampasek et al., arXiv:2205.12454):
 * an MLP phi over each pair (v_ij, lambda_j), summed over the K slots, with padded slots masked
 * out; its sign-invariant form sums phi(v, lambda) + phi(-v, lambda) (SignNet's idea, Lim et
 * al., arXiv:2202.13013), so flipping an eigenvector's sign cannot change the output.
 * Parameters are trainable through the ordinary ops (autograd).
 */
public final class LapPeEncoder implements Module {
  /** The encoder's form. */
  public enum Kind { LINEAR, DEEP_SETS }

  private final Kind kind;
  private final int k;
  private final int outChannels;
  private final boolean signInvariant;
  private final Linear linear;   // LINEAR
  private final Mlp phi;         // DEEP_SETS: 2 -> hidden -> D

  /**
   * @param k K, eigenvectors per node
   * @param outChannels D
   * @param hidden DeepSets hidden width (ignored for LINEAR)
   * @param signInvariant phi(v) + phi(-v) (DEEP_SETS only: a linear map would cancel)
   * @throws IllegalArgumentException for sizes below 1 or a sign-invariant LINEAR encoder
   */
  public LapPeEncoder(Context ctx, Kind kind, int k, int outChannels, int hidden,
                      boolean signInvariant, SplittableRandom rng) {
    if (k < 1 || outChannels < 1 || (kind == Kind.DEEP_SETS && hidden < 1)) {
      throw new IllegalArgumentException("LapPeEncoder: k, outChannels and hidden must be >= 1"
          + " (got " + k + ", " + outChannels + ", " + hidden + ")");
    }
    if (signInvariant && kind == Kind.LINEAR) {
      throw new IllegalArgumentException("LapPeEncoder: a sign-invariant LINEAR encoder is"
          + " constant (W v + W (-v) = 0); use DEEP_SETS");
    }
    this.kind = kind;
    this.k = k;
    this.outChannels = outChannels;
    this.signInvariant = signInvariant;
    this.linear = kind == Kind.LINEAR ? new Linear(ctx, k, outChannels, true, rng) : null;
    this.phi = kind == Kind.DEEP_SETS ? new Mlp(ctx, rng, 2, hidden, outChannels) : null;
  }

  /** The encoding of a {@link LaplacianPe.Result} (its vectors, eigenvalues and mask). */
  public Tensor forward(LaplacianPe.Result pe, Context ctx) {
    return forward(pe.vectors(ctx), pe.valuesPerNode(ctx), pe.mask(ctx));
  }

  /**
   * @param vectors [N, K] eigenvector entries (possibly sign-flipped)
   * @param values [N, K] each node's eigenvalues (DEEP_SETS; may be null for LINEAR)
   * @param mask [N, K] 1 for real slots, 0 for padding; null = all real
   * @return [N, D]
   */
  public Tensor forward(Tensor vectors, Tensor values, Tensor mask) {
    check("vectors", vectors);
    if (mask != null) check("mask", mask);
    if (kind == Kind.LINEAR) {
      return linear.forward(mask == null ? vectors : vectors.mul(mask));
    }
    check("values", values);
    int n = vectors.dim(0);
    Tensor v = vectors.view(n * k, 1);
    Tensor lam = values.view(n * k, 1);
    Tensor out = phi.forward(org.gnn4j.ops.Concat.concat(1, v, lam));           // [N*K, D]
    if (signInvariant) out = out.add(phi.forward(org.gnn4j.ops.Concat.concat(1, v.neg(), lam)));
    if (mask != null) out = out.mul(mask.view(n * k, 1));
    return Reshape.reshape(out, n, k, outChannels).sum(1);                     // [N, D]
  }

  private void check(String name, Tensor t) {
    if (t == null || t.rank() != 2 || t.dim(1) != k) {
      throw new IllegalArgumentException("LapPeEncoder: " + name + " must be [N, " + k + "] (got "
          + (t == null ? "null" : t.shape()) + ")");
    }
  }

  public int outChannels() {
    return outChannels;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    if (linear != null) Module.addAll(m, "linear", linear);
    if (phi != null) Module.addAll(m, "phi", phi);
    return m;
  }
}
