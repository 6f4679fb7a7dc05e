package org.fewstep.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.model.LanguageModels;
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
 * The exact next-token distribution (100,277 log-probabilities) of the KJV n-gram models over
 * cl100k, at the positions of 64 sampled verses in turn (contexts the model has seen, as during
 * generation). The models are read from the cache (built there on first use).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NgramNextBenchmark {
  @Param({"kjv", "kjv-small"})
  public String model;

  private LmState[] states;
  private double[] out;
  private int next;

  @Setup
  public void setUp() {
    LanguageModel lm = LanguageModels.create(model);
    java.util.List<LmState> all = new java.util.ArrayList<>();
    for (Completion c : Generation.of(lm).maxTokens(40).samples(64).seed(3).run()) {
      LmState s = lm.start();
      for (int t : c.ids()) {
        if (t == lm.vocabulary().eos()) {
          break;
        }
        s.append(t);
        all.add(s.fork());
      }
    }
    states = all.toArray(new LmState[0]);
    out = new double[lm.vocabulary().size()];
  }

  @Benchmark
  public double nextTokenDistribution() {
    LmState s = states[next];
    next = next + 1 == states.length ? 0 : next + 1;
    s.next(out);
    return out[13];
  }
}
