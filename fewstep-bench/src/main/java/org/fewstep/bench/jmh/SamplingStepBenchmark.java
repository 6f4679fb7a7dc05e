package org.fewstep.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.sample.Candidates;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;
import org.fewstep.core.registry.Spec;
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
 * One sampling step from a logit vector of an o200k-sized vocabulary (200,019 ids): the exact
 * float64 softmax + categorical draw, and a top-p 0.9 step (selection by quickselect on mass, no
 * full sort, then the draw). Logits are Zipf-shaped (logit = -1.1 ln rank, ranks shuffled: the
 * nucleus is a few thousand tokens, as for a language model) or Gaussian with sd 2 (a flat
 * distribution whose nucleus is most of the vocabulary: the selection's worst case).
 * Run with {@code -jvmArgsAppend -Dfewstep.vector=false} to time the scalar kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SamplingStepBenchmark {
  @Param({"zipf", "gaussian"})
  public String shape;

  @Param({"200019"})
  public int vocabulary;

  private double[] logits;
  private final Categorical categorical = new Categorical();
  private final Candidates candidates = new Candidates();
  private SamplerChain topPChain;
  private final Rng rng = new Rng(1);

  @Setup
  public void setUp() {
    logits = logits(shape, vocabulary, 7);
    topPChain = Sampling.from(Decoders.registry().component("sample").parse(Spec.parse("sample:top-p=0.9")))
        .chain(new int[0], null);
  }

  /** Zipf or Gaussian logits over {@code n} ids, shuffled with {@code seed}. */
  static double[] logits(String shape, int n, long seed) {
    Rng r = new Rng(seed);
    double[] l = new double[n];
    for (int i = 0; i < n; i++) {
      l[i] = shape.equals("zipf") ? -1.1 * Math.log(i + 1) : 2 * r.nextGaussian();
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double t = l[i];
      l[i] = l[j];
      l[j] = t;
    }
    return l;
  }

  /** softmax in double + one exact inverse-CDF draw. */
  @Benchmark
  public int softmaxCategorical() {
    return categorical.setLogits("logits", logits, logits.length).sample(rng);
  }

  /** top-p 0.9 on the candidates (copy of the row, softmax, mass selection) + the draw. */
  @Benchmark
  public int topP() {
    candidates.reset(logits);
    candidates.keepTopP(0.9, 1);
    return candidates.id(candidates.sample(rng));
  }

  /** The same through the chain of {@code sample:top-p=0.9} (what generation runs). */
  @Benchmark
  public int chainTopP() {
    return topPChain.sample(logits, rng);
  }
}
