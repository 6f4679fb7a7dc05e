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
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link Softmax}'s scalar loops: one 8-lane or two 4-lane accumulators per block,
 * so the 8 partial sums match the scalar kernel's, and the same arithmetic per element. Loaded only when
 * the JVM has {@code jdk.incubator.vector}.
 */
final class VectorSoftmax {
  /** 8 lanes where the machine has 512-bit vectors, else 4 lanes used in pairs: the same 8 partial sums. */
  private static final VectorSpecies<Double> S =
      DoubleVector.SPECIES_PREFERRED.length() >= 8 ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;

  private VectorSoftmax() {}

  static double max(double[] x, int n) {
    // lanewise MAX propagates NaN (Math.max semantics), so a NaN anywhere makes the result NaN
    // four independent accumulators: a NaN-correct max has a long latency
    DoubleVector m0 = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
    DoubleVector m1 = m0;
    DoubleVector m2 = m0;
    DoubleVector m3 = m0;
    int w = S.length();
    int i = 0;
    for (; i + 4 * w <= n; i += 4 * w) {
      m0 = m0.max(DoubleVector.fromArray(S, x, i));
      m1 = m1.max(DoubleVector.fromArray(S, x, i + w));
      m2 = m2.max(DoubleVector.fromArray(S, x, i + 2 * w));
      m3 = m3.max(DoubleVector.fromArray(S, x, i + 3 * w));
    }
    for (; i + w <= n; i += w) {
      m0 = m0.max(DoubleVector.fromArray(S, x, i));
    }
    double result = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      result = Math.max(result, x[i]);
    }
    return result;
  }

  static void expShifted(double[] x, int n, double shift, double scale, double[] out, double[] blockSums) {
    double[] lanes = new double[8];
    for (int start = 0, b = 0; start < n; start += Softmax.BLOCK, b++) {
      int end = Math.min(n, start + Softmax.BLOCK);
      int i = start;
      if (S.length() == 8) {
        DoubleVector acc = DoubleVector.zero(S);
        for (; i + 8 <= end; i += 8) {
          DoubleVector e = exp(DoubleVector.fromArray(S, x, i).sub(shift).mul(scale));
          e.intoArray(out, i);
          acc = acc.add(e);
        }
        acc.intoArray(lanes, 0);
      } else {
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        for (; i + 8 <= end; i += 8) {
          DoubleVector e0 = exp(DoubleVector.fromArray(S, x, i).sub(shift).mul(scale));
          DoubleVector e1 = exp(DoubleVector.fromArray(S, x, i + 4).sub(shift).mul(scale));
          e0.intoArray(out, i);
          e1.intoArray(out, i + 4);
          acc0 = acc0.add(e0);
          acc1 = acc1.add(e1);
        }
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, 4);
      }
      for (; i < end; i++) {
        double e = Softmax.exp((x[i] - shift) * scale);
        out[i] = e;
        lanes[(i - start) & 7] += e;
      }
      blockSums[b] = Softmax.reduce(lanes);
    }
  }

  static double massBefore(double[] w, int n, int i) {
    // lane j & 7 takes w[j] in increasing j, as in the scalar twin: whole groups of 8 before i with
    // >=, the scalar stretch around i, then whole groups with > and a scalar tail
    double[] lanes = new double[8];
    double wi = w[i];
    int head = i & ~7;
    int tail = Math.min(n, (i + 8) & ~7);
    int rest = tail + ((n - tail) & ~7);
    if (S.length() == 8) {
      DoubleVector acc = DoubleVector.zero(S);
      for (int j = 0; j < head; j += 8) {
        DoubleVector v = DoubleVector.fromArray(S, w, j);
        acc = acc.add(v, v.compare(VectorOperators.GE, wi));
      }
      acc.intoArray(lanes, 0);
      around(w, i, wi, head, tail, lanes);
      acc = DoubleVector.fromArray(S, lanes, 0);
      for (int j = tail; j < rest; j += 8) {
        DoubleVector v = DoubleVector.fromArray(S, w, j);
        acc = acc.add(v, v.compare(VectorOperators.GT, wi));
      }
      acc.intoArray(lanes, 0);
    } else {
      DoubleVector acc0 = DoubleVector.zero(S);
      DoubleVector acc1 = DoubleVector.zero(S);
      for (int j = 0; j < head; j += 8) {
        DoubleVector v0 = DoubleVector.fromArray(S, w, j);
        DoubleVector v1 = DoubleVector.fromArray(S, w, j + 4);
        acc0 = acc0.add(v0, v0.compare(VectorOperators.GE, wi));
        acc1 = acc1.add(v1, v1.compare(VectorOperators.GE, wi));
      }
      acc0.intoArray(lanes, 0);
      acc1.intoArray(lanes, 4);
      around(w, i, wi, head, tail, lanes);
      acc0 = DoubleVector.fromArray(S, lanes, 0);
      acc1 = DoubleVector.fromArray(S, lanes, 4);
      for (int j = tail; j < rest; j += 8) {
        DoubleVector v0 = DoubleVector.fromArray(S, w, j);
        DoubleVector v1 = DoubleVector.fromArray(S, w, j + 4);
        acc0 = acc0.add(v0, v0.compare(VectorOperators.GT, wi));
        acc1 = acc1.add(v1, v1.compare(VectorOperators.GT, wi));
      }
      acc0.intoArray(lanes, 0);
      acc1.intoArray(lanes, 4);
    }
    for (int j = rest; j < n; j++) {
      lanes[j & 7] += w[j] > wi ? w[j] : 0.0;
    }
    return Softmax.reduce(lanes);
  }

  /** The scalar stretch of {@link #massBefore} around i: [head, i) with >=, (i, tail) with >. */
  private static void around(double[] w, int i, double wi, int head, int tail, double[] lanes) {
    for (int j = head; j < i; j++) {
      lanes[j & 7] += w[j] >= wi ? w[j] : 0.0;
    }
    for (int j = i + 1; j < tail; j++) {
      lanes[j & 7] += w[j] > wi ? w[j] : 0.0;
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
