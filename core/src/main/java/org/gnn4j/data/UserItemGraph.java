package org.gnn4j.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;

/**
 * A small synthetic user/item/tag graph for examples and tests of heterogeneous layers, generated
 * from a seed (the embedded dataset {@code user_item} is {@code generate(USERS, ITEMS, TAGS,
 * CLASSES, SEED)} written by {@link HeteroDatasetWriter}; a test checks that they agree).
 * Each user has a hidden taste (the class to predict), each item a genre; a user rates 3 to 8
 * items, 80% of them of its taste's genre with ratings 4-5, the rest 1-3; users follow 0 to 3
 * users, 70% of the same taste; items carry 1 or 2 of the tags. User features are noise, so the
 * taste can only be learnt through the relations; item features are a noisy one-hot genre; tags
 * have no features. Relations: {@code user__rates__item} and its reverse
 * {@code item__rated_by__user} (edge feature: the rating), {@code user__follows__user},
 * {@code item__has__tag}. Users are split 60/20/20 into train/val/test.
 */
public final class UserItemGraph {
  public static final int USERS = 120;
  public static final int ITEMS = 60;
  public static final int TAGS = 8;
  public static final int CLASSES = 3;
  public static final long SEED = 13;

  private UserItemGraph() {}

  /** The embedded {@code user_item} dataset's generator call. */
  public static HeteroDataset generate() {
    return generate(USERS, ITEMS, TAGS, CLASSES, SEED);
  }

  public static HeteroDataset generate(int users, int items, int tags, int classes, long seed) {
    if (users < 1 || items < classes || tags < 1 || classes < 1) {
      throw new IllegalArgumentException("UserItemGraph: need users >= 1, items >= classes,"
          + " tags >= 1, classes >= 1 (got " + users + ", " + items + ", " + tags + ", "
          + classes + ")");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] taste = new int[users];
    for (int u = 0; u < users; u++) taste[u] = rnd.nextInt(classes);
    int[] genre = new int[items];
    for (int i = 0; i < items; i++) genre[i] = i % classes; // every genre has items
    float[] ux = new float[users * 2];
    for (int k = 0; k < ux.length; k++) ux[k] = round(rnd.nextDouble());
    float[] ix = new float[items * classes];
    for (int i = 0; i < items; i++) {
      for (int c = 0; c < classes; c++) {
        ix[i * classes + c] = round((c == genre[i] ? 1 : 0) + 0.2 * (rnd.nextDouble() - 0.5));
      }
    }
    IntBuf rs = new IntBuf();
    IntBuf ri = new IntBuf();
    FloatBuf rating = new FloatBuf();
    for (int u = 0; u < users; u++) {
      boolean[] rated = new boolean[items];
      for (int k = 3 + rnd.nextInt(6), tries = 0; k > 0 && tries < 100 * items; tries++) {
        int i = rnd.nextInt(items);
        boolean match = genre[i] == taste[u];
        if (rated[i] || match != rnd.nextDouble() < 0.8) continue;
        rated[i] = true;
        rs.add(u);
        ri.add(i);
        rating.add(match ? 4 + rnd.nextInt(2) : 1 + rnd.nextInt(3));
        k--;
      }
    }
    IntBuf fs = new IntBuf();
    IntBuf fd = new IntBuf();
    for (int u = 0; u < users && users > 1; u++) {
      for (int k = rnd.nextInt(4); k > 0; k--) {
        int v = rnd.nextInt(users);
        if (v == u || (taste[v] == taste[u]) != rnd.nextDouble() < 0.7) continue;
        fs.add(u);
        fd.add(v);
      }
    }
    IntBuf hi = new IntBuf();
    IntBuf ht = new IntBuf();
    for (int i = 0; i < items; i++) {
      int first = rnd.nextInt(tags);
      hi.add(i);
      ht.add(first);
      if (tags > 1 && rnd.nextBoolean()) {
        hi.add(i);
        ht.add((first + 1 + rnd.nextInt(tags - 1)) % tags);
      }
    }
    Relation rates = new Relation("user", "rates", "item");
    Relation ratedBy = new Relation("item", "rated_by", "user");
    HeteroGraph g = HeteroGraph.builder().nodes("user", users).nodes("item", items)
        .nodes("tag", tags)
        .edges(rates, rs.toArray(), ri.toArray())
        .edges(ratedBy, ri.toArray(), rs.toArray())
        .edges("user", "follows", "user", fs.toArray(), fd.toArray())
        .edges("item", "has", "tag", hi.toArray(), ht.toArray())
        .build();
    Map<String, Table> x = new LinkedHashMap<>();
    x.put("user", new Table(users, 2, ux));
    x.put("item", new Table(items, classes, ix));
    float[] r = rating.toArray();
    Map<Relation, Table> ea = new LinkedHashMap<>();
    ea.put(rates, new Table(r.length, 1, r));
    ea.put(ratedBy, new Table(r.length, 1, r.clone()));
    int[] order = Splits.shuffled(identity(users), rnd);
    int a = users * 6 / 10;
    int b = users * 8 / 10;
    return new HeteroDataset("user_item", g, x, ea, "user", classes, taste,
        sorted(order, 0, a), sorted(order, a, b), sorted(order, b, users));
  }

  /** Two decimals, so the written files are short and read back exactly. */
  private static float round(double v) {
    return (float) (Math.round(v * 100) / 100.0);
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static int[] sorted(int[] a, int from, int to) {
    int[] s = Arrays.copyOfRange(a, from, to);
    Arrays.sort(s);
    return s;
  }

  private static final class FloatBuf {
    private float[] a = new float[64];
    private int size;

    void add(float v) {
      if (size == a.length) a = Arrays.copyOf(a, 2 * size);
      a[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(a, size);
    }
  }
}
