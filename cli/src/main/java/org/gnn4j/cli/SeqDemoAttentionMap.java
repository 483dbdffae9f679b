package org.gnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gnn4j.cli.plot.HeatMap;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.AttentionWeights;
import org.gnn4j.nn.transformer.MultiHeadAttention;
import org.gnn4j.tensor.Context;

/**
 * The attention maps of a trained {@code seq-demo} model ({@code --attention-map DIR}): one
 * held-out sequence of a short length, run once with every attention layer recording, and per
 * layer a heat map of its attention matrix (rows = query positions, columns = key positions,
 * mean over heads; positions the pattern leaves out stay grey) plus {@code attention.csv} with
 * every head's weights. The task's answer lies at the marked position, so a model that learned
 * it shows the query rows at the end concentrated on that column.
 */
final class SeqDemoAttentionMap {
  private SeqDemoAttentionMap() {}

  /**
   * @param mode "full" or "sparse", in the file names
   * @param pattern the mode's pattern at {@code length}, or null for one drawn per sequence (LSH)
   * @return the files written, relative to {@code dir}
   */
  static List<String> write(Path dir, String mode, SeqDemoSettings s, boolean sparse,
                            SeqDemoModel model, int length, SplittableRandom rng, Context ctx) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CliException("seq-demo: cannot create --attention-map " + dir + " ("
          + IoErrors.reason(e) + ")");
    }
    SeqDemoModel.Example ex = model.example(rng, length);
    EdgeIndex fixed = SeqDemoTraining.pattern(s, length, sparse);
    EdgeIndex pattern = SeqDemoTraining.patternOf(s, fixed, model, ex, rng, ctx);
    List<MultiHeadAttention> layers = model.attentionLayers();
    AttentionRecorder[] recorders = new AttentionRecorder[layers.size()];
    int answer;
    try (var g = ctx.noGrad()) {
      for (int l = 0; l < layers.size(); l++) {
        recorders[l] = new AttentionRecorder(l);
        layers.get(l).recordAttention(recorders[l]);
      }
      float[] z = model.logits(ex, pattern).data();
      answer = 0;
      for (int c = 1; c < s.vocab(); c++) if (z[c] > z[answer]) answer = c;
    } finally {
      for (MultiHeadAttention a : layers) a.recordAttention(null);
    }
    int marked = -1;
    for (int i = 0; i < length; i++) if (ex.marks()[i] == 1) marked = i;
    String what = (sparse ? s.pattern() + " pattern" : "full attention (complete graph)");
    String task = "marked position " + marked + " holds token " + ex.labels()[0] + "; the query at "
        + (length - s.queries()) + " asks for it; the model answers " + answer;
    StringBuilder csv = new StringBuilder("source,target,layer,head,weight\n");
    List<String> files = new java.util.ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      for (AttentionWeights w : recorders[l].recorded()) {
        EdgeIndex e = w.edges();
        double[] mean = new double[e.numEdges()];
        for (int i = 0; i < mean.length; i++) {
          for (int h = 0; h < w.heads(); h++) {
            mean[i] += w.weight(i, h) / w.heads();
            csv.append(e.src()[i]).append(',').append(e.dst()[i]).append(',').append(l).append(',')
                .append(h).append(',').append(String.format(Locale.ROOT, "%.6g", w.weight(i, h)))
                .append('\n');
          }
        }
        String name = "seq-" + mode + "-layer" + l + "_heatmap.png";
        HeatMap.write(dir.resolve(name), "seq-demo, " + what + ": layer " + l + ", length "
                + length, "mean of " + w.heads() + " heads; row = query position, column = key"
                + " position; each row sums to 1; " + task, length, e.dst(), e.src(), mean,
            "position", 760, 700);
        files.add(name);
      }
    }
    String csvName = "seq-" + mode + "-attention.csv";
    PredictCommand.writeAtomically(dir.resolve(csvName), csv.toString());
    files.add(csvName);
    return files;
  }
}
