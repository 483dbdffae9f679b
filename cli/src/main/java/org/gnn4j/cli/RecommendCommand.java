package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.gnn4j.data.InteractionDataset;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.RecommendationTask;

/**
 * {@code gnn4j recommend}: the top-K items a trained recommender (a LightGCN checkpoint, e.g.
 * of {@code configs/movielens-lightgcn.yaml}) suggests for one user, named by the user's
 * original id. Items the user already has in the data are left out. Prints a tab-separated
 * table ({@code rank, item, score, title}; the title column only when the data has titles) with
 * a header line; a user the data does not have is one error line.
 */
final class RecommendCommand {
  private RecommendCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("recommend", argv, 1);
    String ckpt = a.option("checkpoint", null, "LightGCN model checkpoint written by train (runs/<name>/model.ckpt)");
    String user = a.option("user", null, "the user's id as in the data (MovieLens userId)");
    int k = a.intOption("k", 10, "number of items to recommend");
    String data = a.option("data", null, "interaction data directory (default: the data the checkpoint was trained on)");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j recommend --checkpoint FILE --user ID [--k 10]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null || user == null) throw new CliException("recommend: --checkpoint FILE and --user ID are required");
    if (k < 1) throw new CliException("recommend: --k must be >= 1 (got " + k + ")");
    int userId;
    try {
      userId = Integer.parseInt(user.trim());
    } catch (NumberFormatException e) {
      throw new CliException("recommend: --user must be an integer user id (got '" + user + "')");
    }
    EvalCommand.Loaded l = EvalCommand.load(Path.of(ckpt), data, threads);
    try (Context ctx = l.ctx()) {
      if (!(l.task() instanceof RecommendationTask task)) {
        throw new CliException("recommend: " + ckpt + " is not a recommender (its model is "
            + l.exp().model().layer() + "); train one with e.g. --config movielens-lightgcn");
      }
      InteractionDataset d = task.data();
      int u = d.userIndex(userId);
      if (u < 0) {
        throw new CliException("recommend: user " + userId + " is not in " + d.describe() + " ("
            + d.numUsers() + " users, ids " + d.userId(0) + " to " + d.userId(d.numUsers() - 1) + ")");
      }
      err.println("gnn4j: recommending from " + l.dataDescription() + "; items the user already"
          + " has (" + (d.userPtr()[u + 1] - d.userPtr()[u]) + ") are left out");
      RecommendationTask.Scored[] top = task.recommend((LightGcn) l.model(), u, k);
      StringBuilder sb = new StringBuilder(d.hasTitles() ? "rank\titem\tscore\ttitle\n" : "rank\titem\tscore\n");
      for (int r = 0; r < top.length; r++) {
        int i = top[r].item();
        sb.append(r + 1).append('\t').append(d.itemId(i)).append('\t')
            .append(String.format(Locale.ROOT, "%.4f", top[r].score()));
        if (d.hasTitles()) {
          String t = d.title(i);
          sb.append('\t').append(t == null ? "" : t.replace('\t', ' '));
        }
        sb.append('\n');
      }
      out.print(sb);
    }
    return 0;
  }
}
