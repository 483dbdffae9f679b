package org.gnn4j.train;

import java.util.SplittableRandom;

/**
 * The baselines a rating model must beat, each fitted on the training ratings only and scored by
 * RMSE on the test ratings: the global mean; the per-item mean (the global mean for an item
 * without training ratings); and biased matrix factorisation ({@code mu + b_u + b_i + p_u . q_i},
 * Koren et al. 2009) trained by SGD with L2, its rank and L2 chosen on the validation ratings
 * and its epochs by early stopping there. Predictions are clipped to the training range.
 *
 * <p>One more, not fitted on the training ratings alone: the user's mean over the ratings a
 * prediction at time t may see (those strictly before t that the model's history holds; else the
 * item's such mean, else the global training mean). It sees what the GNN sees, so it tells how
 * much of the GNN's lead over the three fixed baselines comes from that history alone.
 *
 * @param userHistory the history mean's test RMSE
 * @param mfSetting the chosen rank, L2 and epochs, for the report
 */
public record RatingBaselines(double globalMean, double itemMean, double mf, double userHistory, String mfSetting) {
  private static final int[] RANKS = {16, 32};
  private static final float[] L2 = {0.02f, 0.05f, 0.1f};
  private static final int MAX_EPOCHS = 60;
  private static final float LR = 0.01f;

  /**
   * @param user [R] user id of every rating; item likewise; y the ratings
   * @param train rating rows to fit on (val for choosing, test for scoring)
   */
  public static RatingBaselines fit(int[] user, int numUsers, int[] item, int numItems, float[] y,
                                    int[] train, int[] val, int[] test, long[] time, boolean[] visible,
                                    long seed) {
    double mu = 0;
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int r : train) {
      mu += y[r];
      lo = Math.min(lo, y[r]);
      hi = Math.max(hi, y[r]);
    }
    mu /= train.length;
    double[] sum = new double[numItems];
    int[] count = new int[numItems];
    for (int r : train) {
      sum[item[r]] += y[r];
      count[item[r]]++;
    }
    double g = 0;
    double m = 0;
    for (int r : test) {
      g += sq(mu - y[r]);
      m += sq((count[item[r]] > 0 ? sum[item[r]] / count[item[r]] : mu) - y[r]);
    }
    double bestVal = Double.POSITIVE_INFINITY;
    double bestTest = Double.NaN;
    String setting = "";
    for (int k : RANKS) {
      for (float l2 : L2) {
        double[] r = mf(user, numUsers, item, numItems, y, train, val, test, (float) mu, lo, hi, k, l2, seed);
        if (r[0] < bestVal) {
          bestVal = r[0];
          bestTest = r[1];
          setting = "rank " + k + ", l2 " + l2 + ", " + (int) r[2] + " epochs";
        }
      }
    }
    double h = historyMean(user, numUsers, item, numItems, y, test, time, visible, (float) mu, lo, hi);
    return new RatingBaselines(Math.sqrt(g / test.length), Math.sqrt(m / test.length), bestTest, h, setting);
  }

  /**
   * Test RMSE of the user's mean rating over the visible rows strictly before each test row's
   * time: rows in time order, one timestamp at a time, predicted before any of them is counted.
   */
  private static double historyMean(int[] user, int nu, int[] item, int ni, float[] y, int[] test, long[] time,
                                    boolean[] visible, float mu, float lo, float hi) {
    boolean[] isTest = new boolean[y.length];
    for (int r : test) isTest[r] = true;
    Integer[] order = new Integer[y.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Long.compare(time[a], time[b]));
    double[] us = new double[nu];
    int[] uc = new int[nu];
    double[] is = new double[ni];
    int[] ic = new int[ni];
    double se = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j < order.length && time[order[j]] == time[order[i]]) j++;
      for (int k = i; k < j; k++) {
        int r = order[k];
        if (!isTest[r]) continue;
        double p = uc[user[r]] > 0 ? us[user[r]] / uc[user[r]] : ic[item[r]] > 0 ? is[item[r]] / ic[item[r]] : mu;
        se += sq(Math.min(hi, Math.max(lo, p)) - y[r]);
      }
      for (int k = i; k < j; k++) {
        int r = order[k];
        if (!visible[r]) continue;
        us[user[r]] += y[r];
        uc[user[r]]++;
        is[item[r]] += y[r];
        ic[item[r]]++;
      }
      i = j;
    }
    return Math.sqrt(se / test.length);
  }

  /** {val RMSE, test RMSE, epochs} of the epoch with the best validation RMSE. */
  private static double[] mf(int[] user, int nu, int[] item, int ni, float[] y, int[] train, int[] val, int[] test,
                             float mu, float lo, float hi, int k, float l2, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] p = new float[nu * k];
    float[] q = new float[ni * k];
    for (int i = 0; i < p.length; i++) p[i] = (float) (rng.nextGaussian() * 0.1);
    for (int i = 0; i < q.length; i++) q[i] = (float) (rng.nextGaussian() * 0.1);
    float[] bu = new float[nu];
    float[] bi = new float[ni];
    int[] order = train.clone();
    double[] best = {Double.POSITIVE_INFINITY, Double.NaN, 0};
    for (int epoch = 1; epoch <= MAX_EPOCHS && epoch - best[2] <= 5; epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int r : order) {
        int u = user[r] * k;
        int v = item[r] * k;
        float dot = 0;
        for (int f = 0; f < k; f++) dot += p[u + f] * q[v + f];
        float e = y[r] - (mu + bu[user[r]] + bi[item[r]] + dot);
        bu[user[r]] += LR * (e - l2 * bu[user[r]]);
        bi[item[r]] += LR * (e - l2 * bi[item[r]]);
        for (int f = 0; f < k; f++) {
          float pu = p[u + f];
          p[u + f] += LR * (e * q[v + f] - l2 * pu);
          q[v + f] += LR * (e * pu - l2 * q[v + f]);
        }
      }
      double v = rmse(user, item, y, val, p, q, bu, bi, mu, lo, hi, k);
      if (v < best[0]) {
        best[0] = v;
        best[1] = rmse(user, item, y, test, p, q, bu, bi, mu, lo, hi, k);
        best[2] = epoch;
      }
    }
    return best;
  }

  private static double rmse(int[] user, int[] item, float[] y, int[] rows, float[] p, float[] q, float[] bu,
                             float[] bi, float mu, float lo, float hi, int k) {
    double s = 0;
    for (int r : rows) {
      float dot = 0;
      for (int f = 0; f < k; f++) dot += p[user[r] * k + f] * q[item[r] * k + f];
      float pred = Math.min(hi, Math.max(lo, mu + bu[user[r]] + bi[item[r]] + dot));
      s += sq(pred - y[r]);
    }
    return Math.sqrt(s / rows.length);
  }

  private static double sq(double x) {
    return x * x;
  }
}
