package org.gnn4j.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.Metrics;

/**
 * The explain-bashapes task of the shared benchmark: train the GNNExplainer paper's GCN
 * (10 -> 20 -> 20 -> 4, ReLU, constant features, full batch, Adam with L2 weight decay) on a
 * {@link BaShapes} graph, explain each of its explained nodes with {@link GnnExplainer}, and
 * score the explanations: ROC-AUC of the edge masks against the house edges, over the edges
 * with both ends within three hops of the node, pooled over the nodes; and {@link Fidelity}.
 */
public final class BaShapesRun {
  /** The protocol's settings. */
  public record Config(int epochs, float lr, float weightDecay, int hidden, int features,
                       GnnExplainer.Config explainer, boolean restrict) {
    public static Config defaults() {
      return new Config(2000, 0.001f, 0.005f, 20, 10, GnnExplainer.Config.defaults(), true);
    }
  }

  /**
   * @param nodeMillis wall time of each explanation (target prediction + optimisation)
   * @param epochMillis wall time of each training step
   */
  public record Result(double trainAccuracy, double testAccuracy, double explanationAuc,
                       double explanationAucPerNodeMean, double fidelityPlus, double fidelityMinus,
                       int nodesExplained, double[] nodeMillis, double[] epochMillis,
                       List<Explanation> explanations) {}

  private BaShapesRun() {}

  /** The classifier of the protocol: three GCN layers, ReLU between, no dropout or norm. */
  public static GraphModel model(Context ctx, Config cfg, SplittableRandom rng) {
    ModelSpec spec = new ModelSpec(ModelSpec.Layer.GCN, 3, cfg.hidden(), 1, 1, 0f, 0f, 0f,
        ModelSpec.Activation.RELU, false, ModelSpec.NormKind.NONE, ModelSpec.Encoder.NONE,
        ModelSpec.Encoder.NONE, ModelSpec.Pe.NONE, 8, 0, ModelSpec.Pooling.NONE, ModelSpec.Head.CONV,
        1, null, null, org.gnn4j.model.ModelOptions.defaults());
    return new GraphModel(ctx, spec, new GraphModel.DataShape(cfg.features(), 0, 0, 0,
        BaShapes.NUM_CLASSES, false), rng);
  }

  public static Result run(Context ctx, BaShapes data, Config cfg, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    GraphModel model = model(ctx, cfg, root.split());
    ModelInput in = ModelInput.of(ctx.ones(data.numNodes(), cfg.features()), Graph.of(data.edges()));
    double[] epochMs = train(model, in, data, cfg);
    int[] pred = predict(model, in);
    double trainAcc = accuracy(pred, data.y(), data.trainNodes());
    double testAcc = accuracy(pred, data.y(), data.testNodes());
    GnnExplainer explainer = new GnnExplainer(cfg.explainer());
    SplittableRandom masks = root.split();
    List<Explanation> out = new ArrayList<>();
    List<Fidelity> fid = new ArrayList<>();
    int[] ex = data.explained();
    double[] nodeMs = new double[ex.length];
    for (int k = 0; k < ex.length; k++) {
      long t0 = System.nanoTime();
      Explainable e = Explainable.node(model, in, ex[k], cfg.restrict(), false);
      Explanation x = explainer.explain(e, masks);
      nodeMs[k] = (System.nanoTime() - t0) / 1e6;
      out.add(x);
      fid.add(Fidelity.of(e, x));
    }
    double[] auc = explanationAuc(data, out, 3);
    double[] f = Fidelity.mean(fid);
    return new Result(trainAcc, testAcc, auc[0], auc[1], f[0], f[1], ex.length, nodeMs, epochMs, out);
  }

  private static double[] train(GraphModel model, ModelInput in, BaShapes data, Config cfg) {
    return train(model, in, data, cfg, l -> { });
  }

  /**
   * The protocol's training, in place on {@code model} from whatever weights it holds (so a
   * test can start it from PyG's initial weights and compare the trained ones).
   *
   * @param losses receives the training loss of every epoch
   * @return wall time of each epoch in ms
   */
  static double[] train(GraphModel model, ModelInput in, BaShapes data, Config cfg,
                        DoubleConsumer losses) {
    List<Tensor> params = new ArrayList<>(model.namedParameters().values());
    Adam adam = new Adam(params, Adam.Config.of(cfg.lr(), cfg.weightDecay()));
    int[] train = data.trainNodes();
    double[] ms = new double[cfg.epochs()];
    model.train(true);
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      long t0 = System.nanoTime();
      adam.zeroGrad();
      Tensor loss = CrossEntropy.apply(model.forward(in), data.y(), train);
      loss.backward();
      adam.step();
      ms[epoch] = (System.nanoTime() - t0) / 1e6;
      losses.accept(loss.item());
    }
    model.train(false);
    return ms;
  }

  private static int[] predict(GraphModel model, ModelInput in) {
    try (var s = in.x().ctx().noGrad()) {
      Tensor logits = model.forward(in);
      int k = logits.dim(1);
      int[] out = new int[logits.dim(0)];
      for (int i = 0; i < out.length; i++) {
        out[i] = Explainable.argmax(Arrays.copyOfRange(logits.data(), i * k, (i + 1) * k));
      }
      return out;
    }
  }

  static double accuracy(int[] pred, int[] y, int[] rows) {
    int ok = 0;
    for (int r : rows) if (pred[r] == y[r]) ok++;
    return rows.length == 0 ? Double.NaN : (double) ok / rows.length;
  }

  /**
   * [pooled AUC, mean of the per-node AUCs] of the edge masks against the motif edges, each node
   * scored on the directed edges whose both ends are within {@code hops} of it.
   */
  public static double[] explanationAuc(BaShapes data, List<Explanation> explanations, int hops) {
    List<float[]> scores = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    double perNode = 0;
    int scored = 0;
    int[] src = data.edges().src();
    int[] dst = data.edges().dst();
    for (Explanation x : explanations) {
      int[] dist = ComputationSubgraph.distancesTo(data.edges(), x.id(), hops);
      int count = 0;
      for (int k = 0; k < src.length; k++) if (dist[src[k]] >= 0 && dist[dst[k]] >= 0) count++;
      float[] s = new float[count];
      int[] l = new int[count];
      boolean pos = false;
      boolean neg = false;
      for (int k = 0, p = 0; k < src.length; k++) {
        if (dist[src[k]] >= 0 && dist[dst[k]] >= 0) {
          s[p] = x.edgeMask()[k];
          l[p++] = data.edgeMotif()[k];
          pos |= data.edgeMotif()[k] == 1;
          neg |= data.edgeMotif()[k] == 0;
        }
      }
      scores.add(s);
      labels.add(l);
      if (pos && neg) {
        perNode += Metrics.rocAuc(s, l);
        scored++;
      }
    }
    int total = scores.stream().mapToInt(a -> a.length).sum();
    float[] s = new float[total];
    int[] l = new int[total];
    for (int i = 0, p = 0; i < scores.size(); i++) {
      System.arraycopy(scores.get(i), 0, s, p, scores.get(i).length);
      System.arraycopy(labels.get(i), 0, l, p, labels.get(i).length);
      p += scores.get(i).length;
    }
    return new double[] {Metrics.rocAuc(s, l), scored == 0 ? Double.NaN : perNode / scored};
  }
}
