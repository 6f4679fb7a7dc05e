package org.fewstep.core.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The SIMD twin of {@link Floats}' loops. Loaded only when the JVM has {@code jdk.incubator.vector}. */
final class VectorFloats {
  /** The machine's doubles per vector, and floats of the same lane count (half the width). */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F =
      FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(D.vectorBitSize() / 2));

  private VectorFloats() {}

  static float widen(float[] src, int from, double[] dst, int at, int n) {
    int w = D.length();
    // lanewise MAX propagates NaN (Math.max semantics)
    FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (; i + w <= n; i += w) {
      FloatVector f = FloatVector.fromArray(F, src, from + i);
      max = max.max(f);
      ((DoubleVector) f.convertShape(VectorOperators.F2D, D, 0)).intoArray(dst, at + i);
    }
    float result = max.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      float f = src[from + i];
      result = Math.max(result, f);
      dst[at + i] = f;
    }
    return result;
  }
}
