package org.gnn4j.pe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small named graphs with known normalised-Laplacian spectra, as undirected adjacencies. */
final class Graphs {
  private Graphs() {}

  static Adjacency of(int n, List<int[]> edges) {
    int[] s = new int[edges.size()];
    int[] d = new int[edges.size()];
    for (int e = 0; e < s.length; e++) {
      s[e] = edges.get(e)[0];
      d[e] = edges.get(e)[1];
    }
    return Adjacency.undirected(s, d, n);
  }

  static Adjacency path(int n) {
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i + 1 < n; i++) e.add(new int[] {i, i + 1});
    return of(n, e);
  }

  static Adjacency cycle(int n) {
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i < n; i++) e.add(new int[] {i, (i + 1) % n});
    return of(n, e);
  }

  static Adjacency complete(int n) {
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) e.add(new int[] {i, j});
    return of(n, e);
  }

  static Adjacency star(int n) {
    List<int[]> e = new ArrayList<>();
    for (int i = 1; i < n; i++) e.add(new int[] {0, i});
    return of(n, e);
  }

  /** n nodes, e random pairs (duplicates and self-loops dropped by Adjacency). */
  static Adjacency random(int n, int e, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] s = new int[e];
    int[] d = new int[e];
    for (int i = 0; i < e; i++) {
      s[i] = r.nextInt(n);
      d[i] = r.nextInt(n);
    }
    return Adjacency.undirected(s, d, n);
  }

  /** Disjoint union: graph b's nodes follow graph a's. */
  static Adjacency union(Adjacency a, Adjacency b) {
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i < a.n(); i++) {
      for (int p = a.rowPtr()[i]; p < a.rowPtr()[i + 1]; p++) e.add(new int[] {i, a.col()[p]});
    }
    for (int i = 0; i < b.n(); i++) {
      for (int p = b.rowPtr()[i]; p < b.rowPtr()[i + 1]; p++) {
        e.add(new int[] {a.n() + i, a.n() + b.col()[p]});
      }
    }
    return of(a.n() + b.n(), e);
  }

  /** Dense S = D^-1/2 A D^-1/2. */
  static double[][] denseS(Adjacency a) {
    int n = a.n();
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int p = a.rowPtr()[i]; p < a.rowPtr()[i + 1]; p++) {
        int j = a.col()[p];
        s[i][j] = 1 / Math.sqrt((double) a.degree(i) * a.degree(j));
      }
    }
    return s;
  }
}
