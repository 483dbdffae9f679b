package org.gnn4j.cli;

import java.io.PrintStream;
import org.gnn4j.cli.bench.BenchCommand;

/**
 * Entry point of the {@code gnn4j} command line. Results go to stdout (one JSON object where a
 * script may read it), progress and logs to stderr; a user error prints one line and exits
 * non-zero, with the stack trace only under {@code --debug}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    boolean debug = java.util.Arrays.asList(argv).contains("--debug");
    String[] args = java.util.Arrays.stream(argv).filter(a -> !a.equals("--debug"))
        .toArray(String[]::new);
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    return guarded(() -> switch (args[0]) {
      case "bench" -> BenchCommand.run(args, out);
      case "train" -> TrainCommand.run(args, out, err);
      case "pretrain" -> TrainCommand.run(args, out, err, true);
      case "eval" -> EvalCommand.run(args, out, err);
      case "predict" -> PredictCommand.run(args, out, err);
      case "attention" -> AttentionCommand.run(args, out, err);
      case "recommend" -> RecommendCommand.run(args, out, err);
      case "embed" -> EmbedCommand.run(args, out, err);
      case "repeat" -> RepeatCommand.run(args, out, err);
      case "pyg-check" -> PygCheckCommand.run(args, out);
      case "info" -> InfoCommand.run(args, out, err);
      case "db" -> DbCommand.run(args, out, err);
      case "seq-demo" -> SeqDemoCommand.run(args, out, err);
      case "explain" -> ExplainCommand.run(args, out, err);
      case "depth-sweep" -> DepthSweepCommand.run(args, out, err);
      default -> throw new CliException("unknown command '" + args[0]
          + "' (valid: train, pretrain, eval, predict, attention, recommend, embed, repeat, info, db, seq-demo, explain, depth-sweep, bench, pyg-check, help)");
    }, err, debug);
  }

  /**
   * Runs a command and turns whatever it throws into one line on {@code err} and exit code 1
   * (the stack trace only with {@code debug}).
   */
  static int guarded(java.util.function.IntSupplier command, PrintStream err, boolean debug) {
    try {
      return command.getAsInt();
    } catch (CliException | IllegalArgumentException | IllegalStateException e) {
      // Gnn4jConfigException is an IllegalArgumentException: file:line messages land here too.
      return fail(err, e.getMessage(), e, debug);
    } catch (java.io.UncheckedIOException e) {
      // a full disk or a read-only directory: what was saved before is intact (atomic writes)
      return fail(err, ioMessage(e), e, debug);
    } catch (OutOfMemoryError e) {
      return fail(err, "out of memory: the JVM may use at most "
          + (Runtime.getRuntime().maxMemory() >> 20) + " MB; give it more with"
          + " GNN4J_JAVA_OPTS=-Xmx<size> (e.g. -Xmx16g), or use a smaller dataset, batch or model",
          e, debug);
    } catch (StackOverflowError e) {
      return fail(err, "input nested too deeply to process (stack overflow)", e, debug);
    } catch (RuntimeException e) {
      return fail(err, "unexpected " + e + " (a bug: please report it with the output of"
          + " --debug)", e, debug);
    }
  }

  /** The failed operation and the system's reason (a full disk, a permission). */
  private static String ioMessage(java.io.UncheckedIOException e) {
    String why = e.getCause() == null ? null : IoErrors.reason(e.getCause());
    return e.getMessage() + (why == null || e.getMessage().contains(why) ? "" : " (" + why + ")");
  }

  /** One line on stderr; the stack trace only under --debug. */
  private static int fail(PrintStream err, String message, Throwable e, boolean debug) {
    err.println("gnn4j: " + message);
    if (debug) e.printStackTrace(err);
    return 1;
  }

  static String usage() {
    return """
        gnn4j: graph neural networks and graph transformers for the JVM

        usage: gnn4j <command> [options]     (add --help after a command for its options)

        commands:
          train      train the model of a config (default: 2-layer GCN on the embedded Cora dataset)
          pretrain   masked node pre-training of a config's model (then fine-tune with model.init_from)
          eval       metrics of a trained checkpoint on every split, one JSON line
          predict    write a trained model's predictions to a CSV file
          recommend  top-K items for one user from a trained recommender (LightGCN), with titles
          embed      write a trained model's node (or graph) vectors to CSV or safetensors
          attention  a trained model's attention weights: CSV, heat map and graph drawing (PNG)
          repeat     train over several seeds (and folds): mean +/- std of the metrics
          bench      kernel and layer benchmarks, one JSON line per run
          pyg-check  check a layer against a PyG fixture (.safetensors), one JSON line
          info       dataset statistics (--data DIR|NAME), one JSON line
          db         relational tables: db import copies a schema's CSV tables into a SQLite file
          seq-demo   full vs sparse attention on a long-range sequence task, one JSON line per mode
          explain    why a trained model predicts what it does for a node or graph: CSV + PNG
          depth-sweep  train one model per depth: test accuracy and Dirichlet energy (JSON + PNG)
          help       this text

        --debug    print stack traces for errors
        """;
  }
}
