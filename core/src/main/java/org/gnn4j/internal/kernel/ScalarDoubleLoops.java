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
}
