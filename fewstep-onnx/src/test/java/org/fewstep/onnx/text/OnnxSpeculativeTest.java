package org.fewstep.onnx.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.core.registry.Spec;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;
import org.fewstep.text.speculative.Speculative;
import org.fewstep.text.speculative.SpeculativeDecoder;
import org.junit.jupiter.api.Test;

/**
 * Speculative decoding with the ONNX target and the ONNX draft (fewstep's decoder: one target call
 * of k + 1 rows per round, rollback by truncation) samples the target's law exactly: the first
 * {@value #MAX} generated tokens, against the law enumerated through the target model, by Pearson's
 * chi-square (outcomes expected fewer than 5 times pooled into one bin), {@value #N} samples from a
 * fixed seed, p > 1e-4; plain sampling passes the same test.
 */
class OnnxSpeculativeTest {
  static final int MAX = 3;
  static final int N = 6000;
  static final String PROMPT = "the ";

  /** The law of the first MAX tokens (shorter when the end token comes first) after PROMPT under the processed target. */
  static Map<List<Integer>, Double> exactLaw(OnnxCausalLm model, String sampler) {
    int[] prompt = model.tokenizer().encode(PROMPT);
    OnnxCausalLm.State state = model.start();
    state.append(prompt);
    Map<List<Integer>, Double> law = new HashMap<>();
    expand(model, chain(sampler, prompt), state, List.of(), 1.0, MAX, law);
    state.close();
    return law;
  }

  static SamplerChain chain(String sampler, int[] prompt) {
    return Sampling.from(Decoders.registry().component("sample").parse(Spec.parse(sampler))).chain(prompt, null);
  }

  private static void expand(OnnxCausalLm model, SamplerChain chain, OnnxCausalLm.State state, List<Integer> key,
      double mass, int left, Map<List<Integer>, Double> law) {
    if (left == 0) {
      law.merge(key, mass, Double::sum);
      return;
    }
    double[] logits = new double[model.vocabulary().size()];
    state.next(logits);
    double[] p = chain.distribution(logits, new double[logits.length]);
    for (int t = 0; t < p.length; t++) {
      if (p[t] == 0) {
        continue;
      }
      List<Integer> k = new ArrayList<>(key);
      k.add(t);
      if (t == model.vocabulary().eos() || left == 1) {
        law.merge(k, mass * p[t], Double::sum);
      } else {
        OnnxCausalLm.State s = state.fork();
        s.append(t);
        SamplerChain after = chain.copy();
        after.accept(t);
        expand(model, after, s, k, mass * p[t], left - 1, law);
        s.close();
      }
    }
  }

  /** Chi-square p-value of the completions' first tokens against {@code law}, pooling rare outcomes. */
  static double pValue(List<Completion> out, Map<List<Integer>, Double> law) {
    return pValue(out, law, true);
  }

  /** The same; unless {@code strict}, an outcome the law rules out gives 0 instead of failing. */
  static double pValue(List<Completion> out, Map<List<Integer>, Double> law, boolean strict) {
    List<List<Integer>> keys = new ArrayList<>();
    List<Double> probs = new ArrayList<>();
    double rare = 0;
    for (Map.Entry<List<Integer>, Double> e : law.entrySet()) {
      if (e.getValue() * out.size() >= 5) {
        keys.add(e.getKey());
        probs.add(e.getValue());
      } else {
        rare += e.getValue();
      }
    }
    long[] counts = new long[keys.size() + 1];
    for (Completion c : out) {
      List<Integer> outcome = Arrays.stream(c.ids()).boxed().toList();
      if (!strict && !law.containsKey(outcome)) {
        return 0;
      }
      assertThat(law).as("outcome %s is possible", outcome).containsKey(outcome);
      int i = keys.indexOf(outcome);
      counts[i >= 0 ? i : keys.size()]++;
    }
    double[] p = new double[keys.size() + 1];
    for (int i = 0; i < keys.size(); i++) {
      p[i] = probs.get(i);
    }
    p[keys.size()] = rare;
    double sum = Arrays.stream(p).sum();
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum; // the law sums to 1 within rounding
    }
    assertThat(keys.size()).as("bins").isGreaterThan(20);
    return GoodnessOfFit.chiSquarePValue(counts, p);
  }

  @Test
  void speculativeDecodingWithOnnxTargetAndDraftSamplesTheTargetsLaw() {
    OnnxCausalLm target = ToyModels.target();
    String sampler = target.generationDefaults().sampler(); // temperature 0.8, top-k 20, top-p 0.95
    Map<List<Integer>, Double> law = exactLaw(target, sampler);
    assertThat(law.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-9));

    SpeculativeDecoder decoder = Speculative.decoder(sampler, "method=standard,k=3", ToyModels.draft());
    List<Completion> spec = Generation.of(target).decoder(decoder).prompt(PROMPT).maxTokens(MAX).samples(N).seed(11)
        .run();
    assertThat(pValue(spec, law)).as("speculative").isGreaterThan(1e-4);
    // the test has power: the same samples are far from the draft's law
    assertThat(pValue(spec, exactLaw(ToyModels.draft(), sampler), false)).as("against the draft's law").isLessThan(1e-6);
    // the draft is a different model: some drafts were rejected, so rollbacks happened
    assertThat(decoder.stats().acceptanceRate()).isBetween(0.2, 0.95);
    System.out.printf("ONNX speculative: p = %.3g (plain below), %s%n", pValue(spec, law), decoder.stats());

    List<Completion> plain = Generation.of(target).decoder(sampler).prompt(PROMPT).maxTokens(MAX).samples(N).seed(12)
        .run();
    assertThat(pValue(plain, law)).as("plain sampling").isGreaterThan(1e-4);
    System.out.printf("ONNX plain sampling: p = %.3g%n", pValue(plain, law));
  }

  /** Several drafts per round: the target scores a tree (node by node on forks), still the target's law. */
  @Test
  void multiDraftSpeculationSamplesTheTargetsLaw() {
    OnnxCausalLm target = ToyModels.target();
    String sampler = "sample:top-k=6";
    Map<List<Integer>, Double> law = exactLaw(target, sampler);
    SpeculativeDecoder decoder = Speculative.decoder(sampler, "method=spectr,drafts=2,k=2", ToyModels.draft());
    List<Completion> out = Generation.of(target).decoder(decoder).prompt(PROMPT).maxTokens(MAX).samples(N / 2).seed(13)
        .run();
    assertThat(pValue(out, law)).isGreaterThan(1e-4);
    System.out.printf("ONNX multi-draft: p = %.3g, %s%n", pValue(out, law), decoder.stats());
  }

  /** Generation and the drafter close the forks they drop: the caches go back without the garbage collector. */
  @Test
  void generationAndMultiDraftSpeculationCloseTheirForks() {
    try (OnnxCausalLm target = OnnxCausalLm.load(ToyModels.DIR);
        OnnxCausalLm draft = OnnxCausalLm.load(ToyModels.DIR.resolve("draft"))) {
      long targetBefore = target.openTensors();
      long draftBefore = draft.openTensors();
      SpeculativeDecoder decoder = Speculative.decoder("sample", "method=spectr,drafts=2,k=2", draft);
      Generation.of(target).decoder("sample").maxTokens(12).samples(5).seed(3).run();
      assertThat(target.openTensors()).as("plain").isEqualTo(targetBefore);
      Generation.of(target).decoder(decoder).maxTokens(12).samples(5).seed(3).run();
      assertThat(target.openTensors()).as("speculative").isEqualTo(targetBefore);
      // the drafter's own state lives as long as its speculation; its tree forks are closed every round
      assertThat(draft.openTensors()).isLessThanOrEqualTo(draftBefore + 4L * 5);
    }
  }
}
