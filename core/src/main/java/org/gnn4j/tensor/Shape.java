package org.gnn4j.tensor;

import java.util.Arrays;

/**
 * The immutable dimensions of a row-major tensor, e.g. {@code [N, H, C]}. Every shape error in
 * gnn4j prints shapes through {@link #toString()} as {@code [3, 16]}, so messages read the same
 * everywhere.
 */
public final class Shape {
  private final int[] dims;
  private final long numel;

  private Shape(int[] dims) {
    this.dims = dims;
    long n = 1;
    for (int d : dims) n *= d;
    this.numel = n;
  }

  /**
   * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
   *     the largest Java array
   */
  public static Shape of(int... dims) {
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "Shape: dimension " + i + " is negative (got " + Arrays.toString(dims) + ")");
      }
      n *= dims[i];
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "Shape: " + Arrays.toString(dims) + " has more elements than a Java array can hold");
      }
    }
    return new Shape(dims.clone());
  }

  public int rank() {
    return dims.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end (-1 = last). */
  public int dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  public int numel() {
    return (int) numel;
  }

  public int[] toArray() {
    return dims.clone();
  }

  /** Product of the dimensions before the last one: the row count of the [rows, last] view. */
  public int rows() {
    return dims.length == 0 ? 1 : (int) (numel / Math.max(1, dims[dims.length - 1]));
  }

  /** Size of the last dimension (1 for a scalar). */
  public int cols() {
    return dims.length == 0 ? 1 : dims[dims.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
