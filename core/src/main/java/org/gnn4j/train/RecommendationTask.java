package org.gnn4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.InteractionDataset;
import org.gnn4j.data.InteractionSplit;
import org.gnn4j.data.Splits;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.ops.MatMul;
import org.gnn4j.ops.PairLosses;
import org.gnn4j.ops.Reductions;
import org.gnn4j.ops.Sddmm;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Top-K recommendation from implicit feedback with LightGCN trained by BPR (He et al.,
 * arXiv:2002.02126; PyG's {@code examples/lightgcn.py}). The graph is the training interactions
 * in both directions over U users then I items. An epoch shuffles the training pairs and cuts
 * them into batches; per batch of B pairs (u, i) one negative item j is drawn uniformly from all
 * items, the whole graph is propagated (gradients reach the layer-0 embeddings E0 through every
 * layer), and the loss is {@code mean -ln sigmoid(s_ui - s_uj) + reg * ||E0[S]||^2 / B} with S
 * the distinct users and items of the batch. Evaluation ranks all items for every user with the
 * user's training items masked out (a matmul per block of users, then a top-K per row) and reports Recall@K,
 * NDCG@K and Precision@K ({@link RankingMetrics}) on the held-out interactions.
 */
public final class RecommendationTask implements Task<LightGcn> {
  private final Context ctx;
  private final InteractionDataset data;
  private final InteractionSplit split;
  private final Graph graph;          // training interactions, both directions, U + I nodes
  private final int[] trainUser;      // [M_train] local user of each training pair
  private final int[] trainItem;      // [M_train] local item
  private final int[] trainPtr;       // [U + 1] CSR of each user's training items
  private final int[] trainCols;
  private final int[] testPtr;        // [U + 1] CSR of each user's held-out items
  private final int[] testCols;
  private final int batchSize;
  private final float regWeight;
  private final int k;

  /**
   * @param batchSize training pairs per optimiser step
   * @param regWeight weight of the L2 penalty on the batch's E0 rows (divided by the batch size)
   * @param k length of the ranked lists evaluated
   * @throws IllegalArgumentException if the split has no training pair or the sizes are &lt; 1
   */
  public RecommendationTask(Context ctx, InteractionDataset data, InteractionSplit split,
                            int batchSize, float regWeight, int k) {
    if (split.train().length == 0 || batchSize < 1 || k < 1) {
      throw new IllegalArgumentException("RecommendationTask: needs training pairs, batch size"
          + " >= 1 and k >= 1 (got " + split.train().length + " pairs, " + batchSize + ", " + k + ")");
    }
    this.ctx = ctx;
    this.data = data;
    this.split = split;
    this.graph = Graph.of(data.graph(split.train()));
    this.trainUser = new int[split.train().length];
    this.trainItem = new int[split.train().length];
    for (int p = 0; p < trainUser.length; p++) {
      trainUser[p] = data.userOf(split.train()[p]);
      trainItem[p] = data.items()[split.train()[p]];
    }
    int[][] tr = byUser(data, split.train());
    int[][] te = byUser(data, split.test());
    this.trainPtr = tr[0];
    this.trainCols = tr[1];
    this.testPtr = te[0];
    this.testCols = te[1];
    this.batchSize = batchSize;
    this.regWeight = regWeight;
    this.k = k;
  }

  /** [ptr [U + 1], items] of the interactions {@code rows} (ascending), grouped by user. */
  private static int[][] byUser(InteractionDataset data, int[] rows) {
    int[] ptr = new int[data.numUsers() + 1];
    int[] cols = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      ptr[data.userOf(rows[r]) + 1]++;
      cols[r] = data.items()[rows[r]];
    }
    for (int u = 0; u < data.numUsers(); u++) ptr[u + 1] += ptr[u];
    return new int[][] {ptr, cols};
  }

  /** A fresh LightGCN over this data's U + I nodes, initialised from {@code seed}. */
  public LightGcn newModel(int embeddingDim, int numLayers, long seed) {
    return new LightGcn(ctx, data.numUsers() + data.numItems(), embeddingDim, numLayers,
        new SplittableRandom(seed));
  }

  public InteractionDataset data() {
    return data;
  }

  public InteractionSplit split() {
    return split;
  }

  /** The training graph (users 0..U-1, items U..U+I-1). */
  public Graph graph() {
    return graph;
  }

  @Override
  public double trainEpoch(LightGcn model, Optimizer optimizer, SplittableRandom rng, Runnable beforeStep) {
    model.train(true);
    int n = trainUser.length;
    int users = data.numUsers();
    int nodes = users + data.numItems();
    Tensor e0 = model.namedParameters().get("embedding.weight");   // [N, D]
    int[] perm = Splits.permutation(n, rng);
    int[] seen = new int[nodes];                          // seen[v] == batch + 1: v is in S
    double sum = 0;
    for (int start = 0, batch = 0; start < n; start += batchSize, batch++) {
      try (var step = ctx.step()) {
        int b = Math.min(batchSize, n - start);
        int[] users2 = new int[2 * b];                      // [2B] user of each scored pair, twice
        int[] items2 = new int[2 * b];                      // [2B] positive items, then negatives
        int[] distinct = new int[3 * b];
        int s = 0;
        for (int t = 0; t < b; t++) {
          int p = perm[start + t];
          users2[t] = users2[b + t] = trainUser[p];
          items2[t] = users + trainItem[p];
          items2[b + t] = users + rng.nextInt(data.numItems());
          s = addOnce(users2[t], batch, seen, distinct, s);
          s = addOnce(items2[t], batch, seen, distinct, s);
          s = addOnce(items2[b + t], batch, seen, distinct, s);
        }
        Tensor emb = model.getEmbedding(graph);             // [N, D]
        // one SDDMM for positives and negatives: half the backward's [N, D] passes of two
        Tensor scores = Sddmm.dot(EdgeIndex.of(users2, items2, nodes), emb, emb).view(2, b);   // [2, B]
        Tensor sPos = scores.indexSelect(new int[] {0}).view(b);
        Tensor sNeg = scores.indexSelect(new int[] {1}).view(b);
        Tensor rows = IndexSelect.rows(e0, Arrays.copyOf(distinct, s));   // [|S|, D]
        Tensor reg = Elementwise.mulScalar(Reductions.sumAll(Elementwise.mul(rows, rows)), regWeight / b);
        Tensor loss = Elementwise.add(PairLosses.bpr(sPos, sNeg), reg);
        sum += TaskSupport.step(optimizer, loss, beforeStep) * b;
      }
    }
    return sum / n;
  }

  /** Appends node v to distinct[0..s) unless this batch saw it already; the new count. */
  private static int addOnce(int v, int batch, int[] seen, int[] distinct, int s) {
    if (seen[v] == batch + 1) return s;
    seen[v] = batch + 1;
    distinct[s] = v;
    return s + 1;
  }

  /**
   * {@code test}: Recall@K, NDCG@K, Precision@K of the full ranking (training items masked) and
   * the BPR loss of the held-out pairs against fixed random negatives; {@code train}: that loss
   * on the training pairs only (ranking the items a user trained on measures nothing);
   * {@code val}: NaN, there is no validation split.
   */
  @Override
  public Map<String, Double> evaluate(LightGcn model, String split) {
    Map<String, Double> m = new LinkedHashMap<>();
    switch (split) {
      case "train", "test", "val" -> { }
      default -> throw new IllegalArgumentException("unknown split '" + split + "' (valid: train, val, test)");
    }
    if (split.equals("val")) {
      m.put(metric(), Double.NaN);
      m.put("loss", Double.NaN);
      return m;
    }
    float[] e = embeddings(model).data();                 // [N, D]
    int d = e.length / (data.numUsers() + data.numItems());
    if (split.equals("test")) {
      RankingMetrics.Result r = rank(e, d);
      m.put(metric(), r.recall());
      m.put("ndcg_at_" + k, r.ndcg());
      m.put("precision_at_" + k, r.precision());
    }
    int[] ptr = split.equals("test") ? testPtr : trainPtr;
    int[] cols = split.equals("test") ? testCols : trainCols;
    m.put("loss", fixedNegativeBpr(e, d, ptr, cols));
    return m;
  }

  /** Final embeddings of all U + I nodes (users first), in eval mode without gradients: [N, D]. */
  public Tensor embeddings(LightGcn model) {
    model.train(false);
    try (var g = ctx.noGrad()) {
      return model.getEmbedding(graph);
    } finally {
      model.train(true);
    }
  }

  /** Users scored per matmul: a [block, I] score matrix instead of [U, I] at once. */
  private static final int USER_BLOCK = 64;

  private RankingMetrics.Result rank(float[] e, int d) {
    int users = data.numUsers();
    int items = data.numItems();
    int[] top = new int[users * k];                       // top: [U, k]
    try (var g = ctx.noGrad()) {
      Tensor ei = ctx.tensor(Arrays.copyOfRange(e, users * d, (users + items) * d), items, d);   // [I, D]
      for (int u0 = 0; u0 < users; u0 += USER_BLOCK) {
        int u1 = Math.min(users, u0 + USER_BLOCK);
        Tensor eu = ctx.tensor(Arrays.copyOfRange(e, u0 * d, u1 * d), u1 - u0, d);               // [b, D]
        float[] scores = MatMul.matmul(eu, ei, false, true).data();                              // [b, I]
        int[] ptr = new int[u1 - u0 + 1];
        for (int u = u0; u <= u1; u++) ptr[u - u0] = trainPtr[u] - trainPtr[u0];
        RankingMetrics.maskInPlace(scores, items, ptr, Arrays.copyOfRange(trainCols, trainPtr[u0], trainPtr[u1]));
        int[] block = RankingMetrics.topK(scores, u1 - u0, items, k);
        System.arraycopy(block, 0, top, u0 * k, block.length);
      }
    }
    return RankingMetrics.evaluate(top, k, testPtr, testCols, items);
  }

  /** Mean BPR loss of the pairs in (ptr, cols) against negatives from a fixed stream. */
  private double fixedNegativeBpr(float[] e, int d, int[] ptr, int[] cols) {
    SplittableRandom rng = new SplittableRandom(0x5EEDL);
    int users = data.numUsers();
    double total = 0;
    for (int u = 0; u < users; u++) {
      for (int m = ptr[u]; m < ptr[u + 1]; m++) {
        int j = rng.nextInt(data.numItems());
        double diff = dot(e, u, users + cols[m], d) - dot(e, u, users + j, d);
        total += Math.max(-diff, 0) + Math.log1p(Math.exp(-Math.abs(diff)));
      }
    }
    return cols.length == 0 ? Double.NaN : total / cols.length;
  }

  private static double dot(float[] e, int a, int b, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) s += (double) e[a * d + c] * e[b * d + c];
    return s;
  }

  /** One recommended item: local index and score. */
  public record Scored(int item, float score) {}

  /**
   * The {@code count} best items for local user {@code user}, best first, leaving out every item
   * the user has in the data (training and held-out: what a user already rated is no news).
   */
  public Scored[] recommend(LightGcn model, int user, int count) {
    if (user < 0 || user >= data.numUsers() || count < 1) {
      throw new IllegalArgumentException("recommend: user " + user + " is out of range [0, "
          + data.numUsers() + ") or count " + count + " < 1");
    }
    float[] e = embeddings(model).data();
    int items = data.numItems();
    int d = e.length / (data.numUsers() + items);
    float[] scores = new float[items];                    // scores: [I]
    for (int i = 0; i < items; i++) scores[i] = (float) dot(e, user, data.numUsers() + i, d);
    int[] ptr = data.userPtr();
    for (int m = ptr[user]; m < ptr[user + 1]; m++) scores[data.items()[m]] = Float.NEGATIVE_INFINITY;
    int[] top = RankingMetrics.topK(scores, 1, items, Math.min(count, items));
    return Arrays.stream(top).filter(i -> i >= 0).mapToObj(i -> new Scored(i, scores[i])).toArray(Scored[]::new);
  }

  /** Every step propagates the whole training graph; the embeddings are parameters, not input. */
  @Override
  public StepSize largestStep() {
    return new StepSize(graph.numNodes(), graph.numEdges(), 0);
  }

  @Override
  public String metric() {
    return "recall_at_" + k;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public boolean hasValidation() {
    return false;
  }
}
