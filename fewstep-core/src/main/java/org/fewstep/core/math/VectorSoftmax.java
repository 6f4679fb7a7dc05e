package org.fewstep.core.math;

import static org.fewstep.core.math.Softmax.LN2_HI;
import static org.fewstep.core.math.Softmax.LN2_LO;
import static org.fewstep.core.math.Softmax.LOG2E;
import static org.fewstep.core.math.Softmax.SHIFT;
import static org.fewstep.core.math.Softmax.SHIFT_BITS;
import static org.fewstep.core.math.Softmax.TAYLOR;
import static org.fewstep.core.math.Softmax.UNDERFLOW;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link Softmax}'s scalar loops: 4-lane vectors, two accumulators per block so
 * the 8 partial sums match the scalar kernel's, the same arithmetic per element. Loaded only when
 * the JVM has {@code jdk.incubator.vector}.
 */
final class VectorSoftmax {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  private VectorSoftmax() {}

  static double max(double[] x, int n) {
    DoubleVector m = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
    VectorMask<Double> nan = S.maskAll(false);
    int i = 0;
    for (int up = S.loopBound(n); i < up; i += 4) {
      DoubleVector v = DoubleVector.fromArray(S, x, i);
      m = m.max(v);
      nan = nan.or(v.test(VectorOperators.IS_NAN));
    }
    double result = m.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      result = Math.max(result, x[i]);
    }
    return nan.anyTrue() ? Double.NaN : result;
  }

  static void expShifted(double[] x, int n, double shift, double[] out, double[] blockSums) {
    double[] lanes = new double[8];
    for (int start = 0, b = 0; start < n; start += Softmax.BLOCK, b++) {
      int end = Math.min(n, start + Softmax.BLOCK);
      DoubleVector acc0 = DoubleVector.zero(S);
      DoubleVector acc1 = DoubleVector.zero(S);
      int i = start;
      for (; i + 8 <= end; i += 8) {
        DoubleVector e0 = exp(DoubleVector.fromArray(S, x, i).sub(shift));
        DoubleVector e1 = exp(DoubleVector.fromArray(S, x, i + 4).sub(shift));
        e0.intoArray(out, i);
        e1.intoArray(out, i + 4);
        acc0 = acc0.add(e0);
        acc1 = acc1.add(e1);
      }
      acc0.intoArray(lanes, 0);
      acc1.intoArray(lanes, 4);
      for (; i < end; i++) {
        double e = Softmax.exp(x[i] - shift);
        out[i] = e;
        lanes[(i - start) & 7] += e;
      }
      blockSums[b] = Softmax.reduce(lanes);
    }
  }

  private static DoubleVector exp(DoubleVector x) {
    DoubleVector t = x.mul(LOG2E).add(SHIFT);
    DoubleVector k = t.sub(SHIFT);
    DoubleVector r = x.sub(k.mul(LN2_HI));
    r = r.sub(k.mul(LN2_LO));
    DoubleVector p = DoubleVector.broadcast(S, TAYLOR[13]);
    for (int j = 12; j >= 0; j--) {
      p = p.fma(r, DoubleVector.broadcast(S, TAYLOR[j]));
    }
    LongVector scale = t.reinterpretAsLongs().sub(SHIFT_BITS - 1023L).lanewise(VectorOperators.LSHL, 52);
    return p.mul(scale.reinterpretAsDoubles()).blend(0.0, x.compare(VectorOperators.LT, UNDERFLOW));
  }
}
