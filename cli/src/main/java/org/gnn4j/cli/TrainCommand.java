package org.gnn4j.cli;

import java.io.PrintStream;
import java.util.SplittableRandom;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.ops.Activations;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.ops.Dropout;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code gnn4j train}: for now the end-to-end demo the README runs, Kipf &amp; Welling's two-layer
 * GCN on the embedded Cora citation graph with the paper's settings (hidden 16, dropout 0.5,
 * Adam lr 0.01, weight decay 5e-4 on the first layer, 200 epochs, row-normalised features). Reports the test accuracy at
 * the epoch of best validation accuracy. Progress goes to stderr; the last stdout line is one
 * JSON object with the final metrics. Config-driven training replaces this with issue 7.
 */
final class TrainCommand {
  private TrainCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("train", argv, 1);
    int epochs = a.intOption("epochs", 200, "training epochs");
    int hidden = a.intOption("hidden", 16, "hidden channels");
    float lr = Float.parseFloat(a.option("lr", "0.01", "Adam learning rate"));
    float wd = Float.parseFloat(a.option("weight-decay", "5e-4", "L2 weight decay of layer 1"));
    float dropout = Float.parseFloat(a.option("dropout", "0.5", "dropout probability"));
    long seed = Long.parseLong(a.option("seed", "0", "random seed"));
    int threads = a.intOption("threads", Runtime.getRuntime().availableProcessors(), "threads");
    if (a.wantsHelp()) {
      out.println("usage: gnn4j train [options]   (2-layer GCN on the embedded Cora dataset)");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    long t0 = System.nanoTime();
    NodeDataset data = NodeDatasetReader.cora().withRowNormalizedFeatures();
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      err.printf("gnn4j: Cora (%d nodes, %d edges, %d features), GCN hidden %d, %s kernels, %d threads%n",
          data.numNodes(), data.edges().numEdges(), data.numFeatures(), hidden, ctx.kernels().name(),
          ctx.threads());
      Tensor x = ctx.tensor(data.x(), data.numNodes(), data.numFeatures());
      SplittableRandom init = ctx.newRandom();
      GcnConv conv1 = new GcnConv(ctx, data.numFeatures(), hidden, init);
      GcnConv conv2 = new GcnConv(ctx, hidden, data.numClasses(), init);
      Adam opt1 = new Adam(conv1.parameters(), Adam.Config.of(lr, wd));
      Adam opt2 = new Adam(conv2.parameters(), Adam.Config.of(lr, 0f));
      SplittableRandom dropRng = ctx.newRandom();

      double bestVal = -1, bestTest = 0, trainAcc = 0, lastLoss = 0;
      int bestEpoch = 0;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        Tensor h = Dropout.apply(x, dropout, true, dropRng);
        h = Activations.relu(conv1.forward(h, data.edges()));
        h = Dropout.apply(h, dropout, true, dropRng);
        Tensor logits = conv2.forward(h, data.edges());
        Tensor loss = CrossEntropy.apply(logits, data.y(), data.train());
        opt1.zeroGrad();
        opt2.zeroGrad();
        loss.backward();
        opt1.step();
        opt2.step();
        lastLoss = loss.item();
        try (var s = ctx.noGrad()) {
          Tensor eval = conv2.forward(Activations.relu(conv1.forward(x, data.edges())), data.edges());
          trainAcc = accuracy(eval, data.y(), data.train());
          double val = accuracy(eval, data.y(), data.val());
          if (val > bestVal) {
            bestVal = val;
            bestTest = accuracy(eval, data.y(), data.test());
            bestEpoch = epoch;
          }
          if (epoch % 20 == 0 || epoch == epochs) {
            err.printf("epoch %3d/%d  loss %.4f  train %.3f  val %.3f  best val %.3f (epoch %d)%n",
                epoch, epochs, lastLoss, trainAcc, val, bestVal, bestEpoch);
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.println(new JsonLine().put("model", "gcn").put("dataset", "cora").put("seed", seed)
          .put("epochs", epochs).put("loss", lastLoss).put("train_accuracy", trainAcc)
          .put("val_accuracy", bestVal).put("test_accuracy", bestTest).put("best_epoch", bestEpoch)
          .put("seconds", seconds));
    }
    return 0;
  }

  /** Share of {@code rows} whose arg-max logit is the label. */
  static double accuracy(Tensor logits, int[] y, int[] rows) {
    int k = logits.dim(1);
    float[] z = logits.data();
    int correct = 0;
    for (int r : rows) {
      int best = 0;
      for (int c = 1; c < k; c++) if (z[r * k + c] > z[r * k + best]) best = c;
      if (best == y[r]) correct++;
    }
    return rows.length == 0 ? 0 : (double) correct / rows.length;
  }
}
