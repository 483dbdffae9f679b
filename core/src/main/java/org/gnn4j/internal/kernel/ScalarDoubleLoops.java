package org.gnn4j.internal.kernel;

/** {@link DoubleLoops} in plain Java: the static loops of {@link DoubleKernels}. */
final class ScalarDoubleLoops implements DoubleLoops {
  static final ScalarDoubleLoops INSTANCE = new ScalarDoubleLoops();

  private ScalarDoubleLoops() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void basisDots(double[] h, double[] v, int ld, int cols, double[] w, int n,
                        double[] partial, Parallel par) {
    DoubleKernels.basisDots(h, v, ld, cols, w, n, partial, par);
  }

  @Override
  public double basisSubtractDots(double[] w, double[] v, int ld, int cols, double[] h,
                                  double[] h2, int n, double[] partial, Parallel par) {
    return DoubleKernels.basisSubtractDots(w, v, ld, cols, h, h2, n, partial, par);
  }

  @Override
  public void basisSubtract(double[] w, double[] v, int ld, int cols, double[] h, int n,
                            Parallel par) {
    DoubleKernels.basisSubtract(w, v, ld, cols, h, n, par);
  }

  @Override
  public void basisRotate(double[] v, int ld, int cols, double[] y, int keep, int n,
                          Parallel par) {
    DoubleKernels.basisRotate(v, ld, cols, y, keep, n, par);
  }

  @Override
  public void normalizedBlockProduct(double[] y, int[] rowPtr, int[] col, double[] dinv,
                                     double[] x, int n, int b) {
    DoubleKernels.normalizedBlockProduct(y, rowPtr, col, dinv, x, n, b);
  }

  @Override
  public void basisDots2(double[] h0, double[] h1, double[] v, int ld, int cols, double[] w0,
                         double[] w1, int n, double[] partial, Parallel par) {
    DoubleKernels.basisDots2(h0, h1, v, ld, cols, w0, w1, n, partial, par);
  }

  @Override
  public void basisSubtractDots2(double[] w0, double[] w1, double[] v, int ld, int cols,
                                 double[] h0, double[] h1, double[] g0, double[] g1,
                                 double[] norms, int n, double[] partial, Parallel par) {
    DoubleKernels.basisSubtractDots2(w0, w1, v, ld, cols, h0, h1, g0, g1, norms, n, partial,
        par);
  }
}
