package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.model.HmmMaskedLm;
import org.junit.jupiter.api.Test;

/** LLaDA, Fast-dLLM, dParallel and LocalLeap on the exact HMM models (discrete-and-data.md 2.4, 3 f). */
class BlockDecoderTest {
  private static final HmmMaskedLm MOTIF = MaskedTestModels.motif();
  private static final HmmMaskedLm STICKY = MaskedTestModels.sticky();

  private static List<MaskedSample> run(HmmMaskedLm model, String decoder, int length, int rows, long seed) {
    return MaskedGeneration.of(model, MaskedDecoders.create(decoder)).length(length).rows(rows).seed(seed).run();
  }

  /** Greedy decoding one position per step, most confident first, written out plainly. */
  private static int[] mostConfidentFirst(HmmMaskedLm model, int length, int block) {
    int vocab = model.vocabSize();
    int[] x = MaskedTestModels.masks(length, model.maskId());
    double[][] out = {new double[length * vocab]};
    for (int b = 0; b < length; b += block) {
      for (int step = 0; step < block; step++) {
        model.logits(new int[][] {x}, 0, length, out);
        int best = -1;
        int bestToken = -1;
        double bestP = -1;
        for (int i = b; i < b + block; i++) {
          if (x[i] == model.maskId()) {
            int argmax = 0;
            for (int v = 1; v < vocab; v++) {
              if (out[0][i * vocab + v] > out[0][i * vocab + argmax]) {
                argmax = v;
              }
            }
            double p = Math.exp(out[0][i * vocab + argmax]);
            if (p > bestP) {
              bestP = p;
              best = i;
              bestToken = argmax;
            }
          }
        }
        x[best] = bestToken;
      }
    }
    return x;
  }

  @Test
  void lladaWithOneTokenPerStepIsGreedyMostConfidentFirstDecoding() {
    assertThat(run(MOTIF, "llada:block=4", 12, 1, 0).get(0).tokens()).containsExactly(mostConfidentFirst(MOTIF, 12, 4));
    assertThat(run(MOTIF, "llada", 10, 1, 0).get(0).tokens()).containsExactly(mostConfidentFirst(MOTIF, 10, 10));
    assertThat(run(MOTIF, "llada", 10, 1, 0).get(0).nfe()).isEqualTo(10);
  }

  @Test
  void thresholdOneReducesEveryThresholdDecoderToOneTokenPerStep() {
    int[] expected = run(MOTIF, "llada:block=8", 16, 1, 0).get(0).tokens();
    for (String decoder : List.of("fast-dllm:threshold=1,block=8", "localleap:threshold=1,relaxed=1,block=8")) {
      MaskedSample s = run(MOTIF, decoder, 16, 1, 0).get(0);
      assertThat(s.tokens()).as(decoder).containsExactly(expected);
      assertThat(s.nfe()).as(decoder).isEqualTo(16);
    }
    // dParallel at entropy threshold 0 commits the lowest-entropy position only
    assertThat(run(MOTIF, "dparallel:threshold=0,block=8", 16, 1, 0).get(0).nfe()).isEqualTo(16);
  }

  @Test
  void aThresholdNearZeroCommitsAWholeBlockPerCall() {
    for (String decoder : List.of("fast-dllm:threshold=1e-9,block=4", "localleap:threshold=1e-9,relaxed=1e-9,block=4",
        "dparallel:threshold=100,block=4", "fast-dllm:factor=100,block=4", "llada:steps=4,block=4")) {
      assertThat(run(MOTIF, decoder, 16, 1, 0).get(0).nfe()).as(decoder).isEqualTo(4);
    }
  }

  @Test
  void everyStepCommitsBetweenOneAndTheBlockInsideTheCurrentBlock() {
    for (String decoder : List.of("fast-dllm:block=8", "fast-dllm:factor=1,block=8", "dparallel:block=8",
        "localleap:block=8", "llada:steps=6,block=8", "llada:remasking=random,temperature=1,block=8")) {
      List<MaskedStep> steps = new ArrayList<>();
      MaskedGeneration.of(STICKY, MaskedDecoders.create(decoder)).length(24).rows(3).seed(1).listener(steps::add).run();
      int[] block = new int[3];
      for (MaskedStep step : steps) {
        assertThat(step.committed().length).as(decoder).isBetween(1, 8);
        assertThat(step.remasked()).isEmpty();
        int b = step.committed()[0] / 8;
        assertThat(b).as(decoder + ": blocks in order").isGreaterThanOrEqualTo(block[step.row()]);
        block[step.row()] = b;
        for (int i : step.committed()) {
          assertThat(i / 8).as(decoder + ": inside the current block").isEqualTo(b);
        }
      }
    }
  }

  @Test
  void greedyParallelCommitsObeyTheoremOneOfFastDllm() {
    // Fast-dLLM Theorem 1: n positions each above 1 - eps with (n + 1) eps <= 1 decode in parallel as the
    // greedy joint does, and the product of their marginals is within (3n - 1)/2 eps of their joint in TV.
    int[] checked = new int[1];
    for (String decoder : List.of("fast-dllm:threshold=0.5,block=16", "fast-dllm:factor=1,block=16", "localleap:threshold=0.8,relaxed=0.5,block=16")) {
      int[] x = MaskedTestModels.masks(16, STICKY.maskId());
      MaskedGeneration.of(STICKY, MaskedDecoders.create(decoder)).length(16).rows(1).seed(0).listener(step -> {
        int n = step.committed().length;
        double eps = 1 - Arrays.stream(step.confidence()).min().orElseThrow();
        if (n >= 2 && (n + 1) * eps <= 1) {
          checkTheorem(x, step, eps);
          checked[0]++;
        }
        for (int k = 0; k < n; k++) {
          x[step.committed()[k]] = step.tokens()[k];
        }
      }).run();
    }
    assertThat(checked[0]).isGreaterThan(3);
  }

  /** The joint of the committed positions given the rest of x, by the chain rule of exact conditionals. */
  private static void checkTheorem(int[] before, MaskedStep step, double eps) {
    int n = step.committed().length;
    int v = STICKY.symbols();
    int vocab = STICKY.vocabSize();
    int combos = (int) Math.pow(v, n);
    double[] joint = new double[combos];
    double[] product = new double[combos];
    double[][] marginal = new double[n][v];
    double[][] out = {new double[before.length * vocab]};
    STICKY.logits(new int[][] {before}, 0, before.length, out);
    for (int k = 0; k < n; k++) {
      for (int s = 0; s < v; s++) {
        marginal[k][s] = Math.exp(out[0][step.committed()[k] * vocab + s]);
      }
    }
    int best = 0;
    for (int c = 0; c < combos; c++) {
      int[] x = before.clone();
      double p = 1;
      double q = 1;
      for (int k = 0, rest = c; k < n; k++, rest /= v) {
        int token = rest % v;
        STICKY.logits(new int[][] {x}, 0, x.length, out);
        p *= Math.exp(out[0][step.committed()[k] * vocab + token]);
        q *= marginal[k][token];
        x[step.committed()[k]] = token;
      }
      joint[c] = p;
      product[c] = q;
      best = p > joint[best] ? c : best;
    }
    for (int k = 0, rest = best; k < n; k++, rest /= v) {
      assertThat(step.tokens()[k]).as("greedy joint token at " + step.committed()[k]).isEqualTo(rest % v);
    }
    assertThat(GoodnessOfFit.totalVariation(joint, product)).isLessThan((3 * n - 1) / 2.0 * eps);
  }

  @Test
  void localLeapReducesToTheThresholdRuleAndCommitsASuperset() {
    String[] same = {"localleap:threshold=0.7,relaxed=0.4,radius=0,block=8", "localleap:threshold=0.7,relaxed=0.7,block=8"};
    int[] expected = run(STICKY, "fast-dllm:threshold=0.7,block=8", 32, 1, 0).get(0).tokens();
    for (String decoder : same) {
      assertThat(run(STICKY, decoder, 32, 1, 0).get(0).tokens()).as(decoder).containsExactly(expected);
    }
    BlockCandidates c = candidates(new int[] {0, 1, 2, 5, 9}, new double[] {0.95, 0.8, 0.6, 0.8, 0.78});
    int[] chosen = new int[5];
    int strict = new ThresholdRule(0.9).select(c, 0, chosen);
    assertThat(positions(c, chosen, strict)).containsExactly(0);
    int relaxed = new LocalLeapRule(0.9, 0.75, 4).select(c, 0, chosen);
    // the anchor at 0 reaches positions 0-4: 1 (0.8) passes, 2 (0.6) does not, 5 and 9 are too far
    assertThat(positions(c, chosen, relaxed)).containsExactly(0, 1);
    int wider = new LocalLeapRule(0.9, 0.75, 5).select(c, 0, chosen);
    assertThat(positions(c, chosen, wider)).containsExactly(0, 1, 5);
  }

  @Test
  void theFactorRuleCommitsTheClosedFormCount() {
    // f = 1: c(k) >= 1 - 1/(k+1) -> 0.5, 0.667, 0.75, 0.8, ...
    BlockCandidates c = candidates(new int[] {0, 1, 2, 3, 4}, new double[] {0.9, 0.7, 0.76, 0.2, 0.79});
    int[] chosen = new int[5];
    // sorted: 0.9, 0.79, 0.76, 0.7, 0.2: k=1 passes always, k=2 0.79 >= 0.667, k=3 0.76 >= 0.75, k=4 0.7 < 0.8
    assertThat(new FactorRule(1).select(c, 0, chosen)).isEqualTo(3);
    // only the last failing: the stated rule stops there (the reference code would commit all five)
    BlockCandidates d = candidates(new int[] {0, 1, 2}, new double[] {0.99, 0.99, 0.1});
    assertThat(new FactorRule(1).select(d, 0, chosen)).isEqualTo(2);
    assertThat(new FactorRule(3).select(d, 0, chosen)).isEqualTo(2);
    assertThat(new FactorRule(3.6).select(d, 0, chosen)).isEqualTo(3);
  }

  @Test
  void theQuotaIsLladasEvenSplit() {
    int[] quota = new int[5];
    for (int k = 0; k < 5; k++) {
      quota[k] = QuotaRule.quota(32, 5, k);
    }
    assertThat(quota).containsExactly(7, 7, 6, 6, 6);
  }

  @Test
  void oneTokenPerStepInRandomOrderWithExactConditionalsSamplesTheJoint() {
    long[] counts = new long[216];
    for (MaskedSample s : run(MOTIF, "llada:remasking=random,temperature=1", 3, 40_000, 5)) {
      counts[MOTIF.index(s.tokens())]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, MOTIF.joint(3))).isGreaterThan(1e-3);
  }

  @Test
  void badOptionsAreClearErrors() {
    assertThatThrownBy(() -> run(MOTIF, "llada:block=5", 12, 1, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("block").hasMessageContaining("5").hasMessageContaining("divisor of the generated length 12");
    assertThatThrownBy(() -> run(MOTIF, "llada:steps=20", 12, 1, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("steps").hasMessageContaining("at most the generated length 12");
    assertThatThrownBy(() -> run(MOTIF, "llada:steps=5,block=4", 12, 1, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("multiple of the number of blocks 3");
    assertThatThrownBy(() -> MaskedDecoders.create("fast-dllm:threshold=0")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("threshold").hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> MaskedDecoders.create("fast-dllm:threshold=1.5")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> MaskedDecoders.create("fast-dllm:factor=1,threshold=0.9")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("factor");
    assertThatThrownBy(() -> MaskedDecoders.create("localleap:relaxed=0.95")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("relaxed").hasMessageContaining("at most the threshold 0.9");
    assertThatThrownBy(() -> MaskedGeneration.of(MOTIF, MaskedDecoders.create("fhs")).length(0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("length");
    assertThatThrownBy(() -> run(MOTIF, "fast-dllm:cache=dual", 8, 1, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("cache").hasMessageContaining("no key/value cache");
  }

  @Test
  void classifierFreeGuidanceCombinesThePromptedAndThePromptFreeLogits() {
    int vocab = MOTIF.vocabSize();
    int[] x = {0, 2, MOTIF.maskId(), MOTIF.maskId(), 4, MOTIF.maskId()};
    int[] free = {MOTIF.maskId(), MOTIF.maskId(), MOTIF.maskId(), MOTIF.maskId(), 4, MOTIF.maskId()};
    double[][] cond = {new double[6 * vocab]};
    double[][] un = {new double[6 * vocab]};
    double[][] guided = {new double[6 * vocab]};
    MOTIF.logits(new int[][] {x}, 0, 6, cond);
    MOTIF.logits(new int[][] {free}, 0, 6, un);
    new GuidedMaskedLm(MOTIF, 2, 1.5).logits(new int[][] {x}, 0, 6, guided);
    for (int e = 0; e < 6 * vocab; e++) {
      assertThat(guided[0][e]).isEqualTo(un[0][e] + 2.5 * (cond[0][e] - un[0][e]));
    }
    MaskedSample s = MaskedGeneration.of(MOTIF, MaskedDecoders.create("llada:cfg=1")).prompt(new int[] {0, 2}).length(8).run().get(0);
    assertThat(s.nfe()).isEqualTo(8);
    assertThatThrownBy(() -> MaskedGeneration.of(MOTIF, MaskedDecoders.create("llada:cfg=1")).length(8).run())
        .isInstanceOf(BadInputException.class).hasMessageContaining("cfg").hasMessageContaining("without a prompt");
  }

  @Test
  void aNaNFromTheModelIsAClearErrorInEveryDecoder() {
    MaskedLm broken = new MaskedLm() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public org.fewstep.text.Tokenizer tokenizer() {
        return MOTIF.tokenizer();
      }

      @Override
      public void logits(int[][] x, int from, int to, double[][] out) {
        for (double[] row : out) {
          Arrays.fill(row, 0.5);
          row[3] = Double.NaN;
        }
      }
    };
    for (String decoder : List.of("fhs", "mdm", "llada", "fast-dllm", "dparallel", "localleap", "saber")) {
      assertThatThrownBy(() -> MaskedGeneration.of(broken, MaskedDecoders.create(decoder)).length(8).run())
          .as(decoder).isInstanceOf(BadInputException.class).hasMessageContaining("NaN");
    }
  }

  private static BlockCandidates candidates(int[] positions, double[] confidence) {
    BlockCandidates c = new BlockCandidates(positions.length);
    c.n = positions.length;
    c.blockMasked = positions.length;
    for (int j = 0; j < c.n; j++) {
      c.position[j] = positions[j];
      c.confidence[j] = confidence[j];
    }
    c.sort();
    return c;
  }

  private static int[] positions(BlockCandidates c, int[] chosen, int count) {
    int[] out = new int[count];
    for (int k = 0; k < count; k++) {
      out[k] = c.position[chosen[k]];
    }
    Arrays.sort(out);
    return out;
  }
}
