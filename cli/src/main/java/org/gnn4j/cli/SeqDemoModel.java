package org.gnn4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.transformer.MultiHeadAttention;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The sequence model and the long-range task of {@code gnn4j seq-demo}. Task: a sequence of
 * random tokens in [0, vocab) with one position in the first half marked; the last position
 * holds a query token, and its label is the token at the marked position, thousands of
 * positions back at length 4096. Model: token embedding + mark embedding + sinusoidal
 * positions, {@code layers} residual multi-head attention layers over an attention pattern (an
 * edge set: the complete graph for full attention, a sparse pattern otherwise), and a linear
 * classifier on the query positions. Examples may be shorter than the maximum length (the
 * length curriculum): positions are the same sinusoids at every length.
 */
final class SeqDemoModel {
  /** One example: tokens [L] (last Q = query tokens), marks [L] (0 or mark q + 1), labels [Q]. */
  record Example(int[] tokens, int[] marks, int[] labels) {
    int length() {
      return tokens.length;
    }
  }

  private final Context ctx;
  private final int maxLength;
  private final int dim;
  private final int vocab;
  private final int queries;
  private final float[] positions;  // [maxLength, D], constant
  private Tensor positionsOfLength; // [L, D]: the first L rows, kept for the current stage
  private final Tensor tokEmb;      // [vocab + Q, D]; row vocab + q = query token q
  private final Tensor markEmb;     // [Q + 1, D]; row 0 = unmarked
  private final List<MultiHeadAttention> attention = new ArrayList<>();
  private final Linear head;        // D -> vocab

  SeqDemoModel(Context ctx, int maxLength, int vocab, int queries, int dim, int heads,
               int layers, float markScale, SplittableRandom rng) {
    checkLength(maxLength, queries);
    this.ctx = ctx;
    this.maxLength = maxLength;
    this.dim = dim;
    this.vocab = vocab;
    this.queries = queries;
    this.positions = sinusoidal(maxLength, dim);
    this.tokEmb = ctx.randn(rng, vocab + queries, dim).requiresGrad(true);
    // markScale scales the mark embedding's initial norm. A salient marker makes the first
    // attention weights favour marked positions, which helped when training started at L = 4096;
    // it also adds a large label-free part to the attended values, and with the length
    // curriculum (which starts at L = 64) scale 4 stalled on 2 seeds of 8 where 1 learned.
    this.markEmb = ctx.randn(rng, queries + 1, dim);
    float[] mk = markEmb.data();
    for (int t = dim; t < mk.length; t++) mk[t] *= markScale;
    for (int t = 0; t < dim; t++) mk[t] = 0;
    markEmb.requiresGrad(true);
    for (int l = 0; l < layers; l++) attention.add(new MultiHeadAttention(ctx, dim, heads, rng));
    this.head = new Linear(ctx, dim, vocab, true, rng);
  }

  /** The task needs Q distinct marks in the first half and Q query slots at the end. */
  private void checkLength(int length, int q) {
    if (q < 1 || 2 * q > length / 2) {
      throw new IllegalArgumentException("seq-demo: need 1 <= queries <= length / 4 (got "
          + q + " for length " + length + ")");
    }
  }

  /** Fixed sin/cos positions (Vaswani et al.), scaled down so tokens dominate at the start. */
  static float[] sinusoidal(int length, int dim) {
    float[] p = new float[length * dim];
    for (int i = 0; i < length; i++) {
      for (int c = 0; c < dim; c += 2) {
        double freq = Math.pow(10000, -(double) c / dim);
        p[i * dim + c] = (float) (0.5 * Math.sin(i * freq));
        if (c + 1 < dim) p[i * dim + c + 1] = (float) (0.5 * Math.cos(i * freq));
      }
    }
    return p;
  }

  /** The positions of the query tokens in a sequence of {@code length}: the last Q. */
  int[] queryRows(int length) {
    int[] rows = new int[queries];
    for (int q = 0; q < queries; q++) rows[q] = length - queries + q;
    return rows;
  }

  /**
   * A random example of {@code length} (at most the model's maximum): Q distinct marked positions
   * in the first half, the Q query tokens at the end.
   */
  Example example(SplittableRandom rng, int length) {
    if (length > maxLength) {
      throw new IllegalArgumentException("seq-demo: example length " + length
          + " exceeds the model's maximum " + maxLength);
    }
    checkLength(length, queries);
    int[] tokens = new int[length];
    int[] marks = new int[length];
    int[] labels = new int[queries];
    for (int i = 0; i < length - queries; i++) tokens[i] = rng.nextInt(vocab);
    int[] rows = queryRows(length);
    for (int q = 0; q < queries; q++) {
      tokens[rows[q]] = vocab + q;
      int m;
      do {
        m = rng.nextInt(length / 2);
      } while (marks[m] != 0);
      marks[m] = q + 1;
      labels[q] = tokens[m];
    }
    return new Example(tokens, marks, labels);
  }

  /** Logits [Q, vocab] of the query positions; {@code pattern} has one node per position. */
  Tensor logits(Example ex, EdgeIndex pattern) {
    int n = ex.length();
    if (pattern.numDstNodes() != n) {
      throw new IllegalArgumentException("seq-demo: pattern has " + pattern.numDstNodes()
          + " nodes, expected the example's length " + n);
    }
    Tensor h = embed(ex);                                                      // [L, D]
    Graph g = Graph.of(pattern);
    for (MultiHeadAttention a : attention) h = h.add(a.forward(h, g));
    return head.forward(IndexSelect.rows(h, queryRows(n)));                    // [Q, vocab]
  }

  /** The first layer's input: token + mark embeddings + positions, [L, D]. */
  Tensor embed(Example ex) {
    int n = ex.length();
    if (positionsOfLength == null || positionsOfLength.dim(0) != n) {
      positionsOfLength = ctx.tensor(Arrays.copyOf(positions, n * dim), n, dim);
    }
    return IndexSelect.embedding(tokEmb, ex.tokens())
        .add(IndexSelect.embedding(markEmb, ex.marks())).add(positionsOfLength);
  }

  /** Mean cross-entropy over the Q queries. */
  Tensor loss(Example ex, EdgeIndex pattern) {
    return CrossEntropy.apply(logits(ex, pattern), ex.labels(), null);
  }

  /** How many of the Q queries get the arg-max class right. */
  int correct(Example ex, EdgeIndex pattern) {
    float[] z = logits(ex, pattern).data();
    int right = 0;
    for (int q = 0; q < queries; q++) {
      int best = 0;
      for (int c = 1; c < vocab; c++) if (z[q * vocab + c] > z[q * vocab + best]) best = c;
      if (best == ex.labels()[q]) right++;
    }
    return right;
  }

  /** The attention layers, first to last (for recording their weights). */
  List<MultiHeadAttention> attentionLayers() {
    return List.copyOf(attention);
  }

  List<Tensor> parameters() {
    List<Tensor> ps = new ArrayList<>(List.of(tokEmb, markEmb));
    for (MultiHeadAttention a : attention) ps.addAll(a.parameters());
    ps.addAll(head.parameters());
    return ps;
  }
}
