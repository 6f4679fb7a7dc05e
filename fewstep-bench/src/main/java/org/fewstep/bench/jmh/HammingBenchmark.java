package org.fewstep.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fewstep.constrain.approx.HammingDistances;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Text-to-pattern Hamming distances (research brief section 13) on uniform random text and pattern
 * over σ symbols: the O(nm) definition, Fischer–Paterson correlation alone (double FFT), the
 * automatic exact method (per-symbol choice between correlation and Abrahamson-style pair
 * counting), and the k-bounded kangaroo walk (suffix array + LCP + RMQ over P # T). The naive
 * method is meant for {@code -p n=100000}: at n = 10^6 and m = 10^4 one call takes tens of seconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HammingBenchmark {
  @Param({"1000000"})
  public int n;

  @Param({"100", "1000", "10000"})
  public int m;

  @Param({"4", "26"})
  public int sigma;

  @Param({"10"})
  public int k;

  private int[] text;
  private int[] pattern;

  @Setup
  public void setUp() {
    Random rng = new Random(42);
    text = new int[n];
    pattern = new int[m];
    for (int i = 0; i < n; i++) {
      text[i] = rng.nextInt(sigma);
    }
    for (int j = 0; j < m; j++) {
      pattern[j] = rng.nextInt(sigma);
    }
  }

  @Benchmark
  public int[] naive() {
    return HammingDistances.naive(text, pattern);
  }

  @Benchmark
  public int[] exact() {
    return HammingDistances.exact(text, pattern);
  }

  @Benchmark
  public int[] correlationFft() {
    return HammingDistances.correlation(text, pattern, HammingDistances.Transform.FFT);
  }

  @Benchmark
  public int[] atMostK() {
    return HammingDistances.atMost(text, pattern, k);
  }
}
