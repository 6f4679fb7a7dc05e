package org.fewstep.core;

import java.util.Arrays;

/**
 * A dense float64 array in C (row-major) order: a shape and a flat {@code double[]}. The first axis
 * is the batch axis by convention ({@code [n, ...]}: n items of {@link #itemSize()} numbers each).
 * The data array is shared, not copied, so solvers can work on it in place.
 */
public final class NdArray {
  private final int[] shape;
  private final double[] data;

  private NdArray(int[] shape, double[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Wraps {@code data} (not copied) with the given shape; the sizes must agree. */
  public static NdArray of(double[] data, int... shape) {
    long size = checkedSize(shape);
    if (size != data.length) {
      throw new BadInputException(
          "shape " + Arrays.toString(shape) + " holds " + size + " numbers but the data has " + data.length);
    }
    return new NdArray(shape.clone(), data);
  }

  /** A zero-filled array of the given shape. */
  public static NdArray zeros(int... shape) {
    long size = checkedSize(shape);
    if (size > Integer.MAX_VALUE - 8) {
      throw BadInputException.of("shape", Arrays.toString(shape), "at most 2^31 - 9 elements");
    }
    return new NdArray(shape.clone(), new double[(int) size]);
  }

  /** Number of elements of {@code shape}; every extent must be >= 0. */
  public static long checkedSize(int... shape) {
    long size = 1;
    for (int extent : shape) {
      if (extent < 0) {
        throw BadInputException.of("shape", Arrays.toString(shape), "non-negative extents");
      }
      size *= extent;
    }
    return size;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return data.length;
  }

  /** The live backing array. */
  public double[] data() {
    return data;
  }

  /** Number of items along the first axis. */
  public int items() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Elements per item: the product of all extents but the first. */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < shape.length; i++) {
      size *= shape[i];
    }
    return size;
  }

  /** The shape of one item (all axes but the first). */
  public int[] itemShape() {
    return shape.length == 0 ? new int[0] : Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** The same data seen with another shape of equal size. */
  public NdArray reshape(int... newShape) {
    return of(data, newShape);
  }

  /** A deep copy. */
  public NdArray copy() {
    return new NdArray(shape.clone(), data.clone());
  }

  /** Shape as {@code [2, 3]} text, for messages. */
  public static String shapeText(int... shape) {
    return Arrays.toString(shape);
  }

  @Override
  public String toString() {
    return "NdArray" + Arrays.toString(shape);
  }
}
