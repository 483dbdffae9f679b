package org.gnn4j.train;

/**
 * The text of a node-classification prediction file, {@code node,class} and one row per node, in
 * one place so that every program that writes one ({@code gnn4j predict}, {@code gnn4j spark
 * infer}) writes the same bytes and two of them compare line by line.
 */
public final class PredictionCsv {
  private PredictionCsv() {}

  /** The header line, with its newline. */
  public static final String NODE_HEADER = "node,class\n";

  /** One row, with its newline. */
  public static String nodeRow(long node, int cls) {
    return node + "," + cls + "\n";
  }

  /** The whole file for nodes 0..N-1 and their classes. */
  public static String nodes(int[] classes) {
    StringBuilder b = new StringBuilder(NODE_HEADER);
    for (int i = 0; i < classes.length; i++) b.append(nodeRow(i, classes[i]));
    return b.toString();
  }

  /** The predicted class of one row of scores: the first index of the largest. */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
    return best;
  }
}
