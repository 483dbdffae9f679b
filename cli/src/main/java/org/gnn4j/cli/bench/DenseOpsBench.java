package org.gnn4j.cli.bench;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.ops.Activations;
import org.gnn4j.ops.BatchNorm;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.LayerNorm;
import org.gnn4j.ops.Reductions;
import org.gnn4j.ops.Reshape;
import org.gnn4j.ops.RowSoftmax;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code gnn4j bench --kernel dense-ops --op NAME}: one dense element-wise/normalising op on
 * a [rows, cols] float tensor (node features), forward only or forward + backward, reporting
 * the median time and the element throughput. These ops are memory-bound, so throughput in
 * elements/s is the figure to compare across ops and against other libraries.
 */
public final class DenseOpsBench implements KernelBench {
  private static final String OPS = "bias-add, mul-col, relu, gelu, sigmoid, softmax,"
      + " log-softmax, layer-norm, batch-norm, dropout, sum-rows, sum-cols, transpose";

  @Override
  public String name() {
    return "dense-ops";
  }

  @Override
  public JsonLine run(Args args) {
    String op = args.option("op", "gelu", "op to time: " + OPS);
    int rows = args.intOption("rows", 100_000, "rows (nodes)");
    int cols = args.intOption("cols", 64, "columns (features)");
    int threads = args.intOption("threads", Runtime.getRuntime().availableProcessors(),
        "worker threads");
    int warmup = args.intOption("warmup", 5, "untimed runs");
    int repeats = args.intOption("repeats", 20, "timed runs");
    boolean backward = args.flag("backward", "time forward + backward instead of forward only");
    if (args.wantsHelp()) {
      return null;
    }
    args.checkNoUnknown();
    try (Context ctx = Context.builder().threads(threads).seed(1).build()) {
      SplittableRandom r = ctx.newRandom();
      Tensor x = ctx.randn(r, rows, cols).requiresGrad(backward);
      Tensor bias = ctx.randn(r, cols).requiresGrad(backward);
      Tensor col = ctx.uniform(r, 0.5f, 2f, rows, 1).requiresGrad(backward);
      Tensor w = ctx.ones(cols).requiresGrad(backward);
      Function<Tensor, Tensor> f = switch (op) {
        case "bias-add" -> t -> Elementwise.add(t, bias);
        case "mul-col" -> t -> Elementwise.mul(t, col);
        case "relu" -> Activations::relu;
        case "gelu" -> Activations::gelu;
        case "sigmoid" -> Activations::sigmoid;
        case "softmax" -> RowSoftmax::softmax;
        case "log-softmax" -> RowSoftmax::logSoftmax;
        case "layer-norm" -> t -> LayerNorm.apply(t, w, bias, LayerNorm.DEFAULT_EPS);
        case "batch-norm" -> t -> BatchNorm.apply(t, w, bias, null, null, true,
            BatchNorm.DEFAULT_MOMENTUM, BatchNorm.DEFAULT_EPS);
        case "dropout" -> t -> Dropout.apply(t, 0.5f, true, new SplittableRandom(7));
        case "sum-rows" -> t -> Reductions.sum(t, -1, false);
        case "sum-cols" -> t -> Reductions.sum(t, 0, false);
        case "transpose" -> t -> Reshape.transpose(t, 0, 1);
        default -> throw new CliException("bench dense-ops: unknown --op '" + op + "' (valid: "
            + OPS + ")");
      };
      Runnable step = () -> {
        Tensor y = f.apply(x);
        if (backward) {
          Autograd.backward(y, new float[y.numel()]);
          x.zeroGrad();
          bias.zeroGrad();
          col.zeroGrad();
          w.zeroGrad();
        }
      };
      Timing t = Timing.measure(warmup, repeats, step);
      double elems = (double) rows * cols;
      return new JsonLine().put("kernel", name()).put("op", op).put("rows", rows)
          .put("cols", cols).put("threads", threads).put("backward", backward)
          .put("kernels", ctx.kernelsName())
          .put("median_ms", t.median()).put("min_ms", t.min()).put("max_ms", t.max())
          .put("melem_per_s", elems / (t.median() * 1e3))
          .put("peak_rss_mb", ProcessMemory.peakRssMb());
    }
  }
}
