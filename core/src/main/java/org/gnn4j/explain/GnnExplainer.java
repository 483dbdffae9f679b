package org.gnn4j.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GNNExplainer (Ying et al., arXiv:1903.03894) as PyG 2.6's {@code GNNExplainer} with
 * {@code edge_mask_type='object'} and {@code node_mask_type='attributes'}: learned logits m (one
 * per edge) and F (one per node feature) whose sigmoids mask the messages and the input
 * features; Adam minimises -log p(ŷ) of the prediction being explained plus, from the second
 * step on, size and entropy regularisers over the entries the prediction depends on (those
 * whose gradient after the first step is non-zero): {@code edgeSize * sum sigma(m) + edgeEnt *
 * mean ent(sigma(m)) + featSize * mean sigma(F) + featEnt * mean ent(sigma(F))}, ent(p) = -p
 * ln(p + 1e-15) - (1 - p) ln(1 - p + 1e-15). The explanation is sigma of each logit on those
 * entries and 0 elsewhere. Regression targets use the squared error to the unmasked output.
 */
public final class GnnExplainer {
  /** PyG's coefficients and defaults. */
  public record Config(int epochs, float lr, float edgeSize, float edgeEnt, float featSize,
                       float featEnt) {
    public Config {
      if (epochs < 1) throw new IllegalArgumentException("gnnexplainer: epochs must be >= 1 (got " + epochs + ")");
      if (!(lr > 0)) throw new IllegalArgumentException("gnnexplainer: lr must be > 0 (got " + lr + ")");
    }

    public static Config defaults() {
      return new Config(200, 0.01f, 0.005f, 1.0f, 1.0f, 0.1f);
    }
  }

  private static final float EPS = 1e-15f;

  private final Config cfg;

  public GnnExplainer(Config cfg) {
    this.cfg = cfg;
  }

  public Explanation explain(Explainable e, SplittableRandom rng) {
    return explain(e, rng, l -> { });
  }

  /**
   * @param rng draws the initial masks (over the whole graph, then cut to the restricted
   *     input, so restriction does not change them)
   * @param losses receives the loss of every step
   */
  public Explanation explain(Explainable e, SplittableRandom rng, DoubleConsumer losses) {
    Context ctx = e.ctx();
    // PyG: std = calculate_gain('relu') * sqrt(2 / (2N)) for edges, 0.1 for features; drawn
    // for the whole graph so that cutting to the computation subgraph does not change them
    float edgeStd = (float) (Math.sqrt(2.0) * Math.sqrt(2.0 / (2.0 * e.fullNodes())));
    float[] edgeInit = e.masksEdges() ? scaled(ctx.randn(rng, e.fullEdges()).data(), edgeStd) : null;
    float[] featInit = e.hasFeatures()
        ? scaled(ctx.randn(rng, e.fullNodes() * e.x().dim(1)).data(), 0.1f) : null;
    return explain(e, edgeInit, featInit, losses);
  }

  /**
   * The explanation from given initial logits (a reference implementation's draw, in tests).
   *
   * @param edgeInit [whole graph's E] initial edge logits, or null when the model takes no edge
   *     mask
   * @param featInit [whole graph's N * F] initial feature logits, row-major, or null without
   *     features
   * @param losses receives the loss of every step
   */
  public Explanation explain(Explainable e, float[] edgeInit, float[] featInit, DoubleConsumer losses) {
    Context ctx = e.ctx();
    boolean edges = e.masksEdges();
    boolean feats = e.hasFeatures();
    int f = feats ? e.x().dim(1) : 0;
    if (edges && (edgeInit == null || edgeInit.length != e.fullEdges())) {
      throw new IllegalArgumentException("gnnexplainer: the initial edge logits must have one"
          + " entry per edge (" + e.fullEdges() + ")");
    }
    if (feats && (featInit == null || featInit.length != e.fullNodes() * f)) {
      throw new IllegalArgumentException("gnnexplainer: the initial feature logits must have N * F"
          + " = " + e.fullNodes() * f + " entries");
    }
    // both are leaves: a view of a leaf would lose its gradient once backward has passed it
    Tensor m = edges
        ? ctx.tensor(rows(edgeInit, 1, e.edgeMap()), e.edgeMap().length).requiresGrad(true)    // [e]
        : null;
    Tensor fm = feats
        ? ctx.tensor(rows(featInit, f, e.nodeMap()), e.nodeMap().length, f).requiresGrad(true) // [n, F]
        : null;
    List<Tensor> params = new ArrayList<>();
    if (m != null) params.add(m);
    if (fm != null) params.add(fm);
    if (params.isEmpty()) {
      throw new IllegalArgumentException("gnnexplainer: the model takes neither an edge mask nor"
          + " node features, so there is nothing to mask");
    }
    Adam adam = new Adam(params, Adam.Config.of(cfg.lr(), 0f));
    float[] target = e.regression() ? targetValue(e) : null;
    Tensor hardE = null;
    Tensor hardF = null;
    float countE = 0;
    float countF = 0;
    for (int step = 0; step < cfg.epochs(); step++) {
      for (Tensor p : params) p.zeroGrad();
      Tensor sm = m == null ? null : m.sigmoid();
      Tensor sf = fm == null ? null : fm.sigmoid();
      Tensor x = sf == null ? null : e.x().mul(sf);
      Tensor loss = predictionLoss(e, e.output(x, sm), target);
      if (step > 0) {
        if (sm != null && countE > 0) {
          loss = loss.add(sm.mul(hardE).sum().mul(cfg.edgeSize()))
              .add(entropy(sm).mul(hardE).sum().mul(cfg.edgeEnt() / countE));
        }
        if (sf != null && countF > 0) {
          loss = loss.add(sf.mul(hardF).sum().mul(cfg.featSize() / countF))
              .add(entropy(sf).mul(hardF).sum().mul(cfg.featEnt() / countF));
        }
      }
      losses.accept(loss.item());
      loss.backward();
      adam.step();
      if (step == 0) {
        if (m != null) {
          hardE = nonZero(ctx, m);
          countE = hardE.sum().item();
        }
        if (fm != null) {
          hardF = nonZero(ctx, fm);
          countF = hardF.sum().item();
        }
      }
    }
    float[] edgeMask = m == null ? null : Explanation.scatter(masked(m, hardE), e.edgeMap(), e.fullEdges(), 1);
    float[] featMask = fm == null ? null : Explanation.scatter(masked(fm, hardF), e.nodeMap(), e.fullNodes(), f);
    return new Explanation("gnnexplainer", e.nodeLevel(), e.id(), e.predicted(), edgeMask, featMask, f);
  }

  private static float[] scaled(float[] v, float std) {
    for (int i = 0; i < v.length; i++) v[i] *= std;
    return v;
  }

  /** The rows {@code keep} of whole-graph logits [rows, width]. */
  private static float[] rows(float[] all, int width, int[] keep) {
    float[] out = new float[keep.length * width];
    for (int i = 0; i < keep.length; i++) System.arraycopy(all, keep[i] * width, out, i * width, width);
    return out;
  }

  static Tensor predictionLoss(Explainable e, Tensor out, float[] target) {
    if (target == null) return e.score(out).neg();
    Tensor d = out.sub(out.ctx().tensor(target, 1, target.length));
    return d.mul(d).sum();
  }

  private static float[] targetValue(Explainable e) {
    try (var s = e.ctx().noGrad()) {
      return e.output(null, null).data().clone();
    }
  }

  /** ent(p) = -p ln(p + eps) - (1 - p) ln(1 - p + eps), elementwise. */
  static Tensor entropy(Tensor p) {
    Tensor q = p.neg().add(1f);
    return p.mul(p.add(EPS).log()).add(q.mul(q.add(EPS).log())).neg();
  }

  /** 1 where the parameter's gradient after the first step is non-zero, else 0 (same shape). */
  private static Tensor nonZero(Context ctx, Tensor p) {
    float[] g = p.gradArray();
    float[] h = new float[p.numel()];
    if (g != null) for (int i = 0; i < h.length; i++) h[i] = g[i] != 0f ? 1f : 0f;
    return ctx.tensor(h, p.shape().toArray());
  }

  private static float[] masked(Tensor logits, Tensor hard) {
    float[] l = logits.data();
    float[] h = hard.data();
    float[] out = new float[l.length];
    for (int i = 0; i < l.length; i++) out[i] = h[i] != 0f ? (float) (1 / (1 + Math.exp(-l[i]))) : 0f;
    return out;
  }
}
