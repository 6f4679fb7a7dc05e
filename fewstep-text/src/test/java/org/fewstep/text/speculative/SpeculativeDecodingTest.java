package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.core.registry.Spec;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.model.HiddenMarkovModel;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;
import org.junit.jupiter.api.Test;

/**
 * Speculative decoding at the sequence level: the law of whole generated sequences equals the
 * target's (processed) law on HMM target/draft pairs with different dynamics; acceptance and block
 * efficiency match their closed forms; greedy speculation is greedy decoding; the target's state
 * after every rollback equals a fresh run on the accepted prefix.
 */
class SpeculativeDecodingTest {
  static final List<String> SYMBOLS = List.of("a", "b", "c");

  /** Target: 3 states, sticky, ends with probability 0.2 / 0.1 / 0.3. */
  static final HiddenMarkovModel TARGET = new HiddenMarkovModel("target", SYMBOLS,
      new double[] {0.5, 0.3, 0.2},
      new double[][] {{0.8, 0.1, 0.1}, {0.2, 0.6, 0.2}, {0.3, 0.3, 0.4}},
      new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}},
      new double[] {0.2, 0.1, 0.3});

  /** Draft: 2 states with other dynamics (a worse model of the same language). */
  static final HiddenMarkovModel DRAFT = new HiddenMarkovModel("draft", SYMBOLS,
      new double[] {0.6, 0.4},
      new double[][] {{0.5, 0.5}, {0.5, 0.5}},
      new double[][] {{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}},
      new double[] {0.15, 0.25});

  static Sampling sampling(String spec) {
    Spec s = Spec.parse(spec);
    return s.name().equals("greedy") ? Sampling.ANCESTRAL.withTemperature(0)
        : Sampling.from(Decoders.registry().component("sample").parse(s));
  }

  /**
   * The exact law of generated token lists of at most {@code max} tokens after {@code prompt} under
   * the processed target (the chain's state follows each branch).
   */
  static Map<List<Integer>, Double> exactLaw(LanguageModel model, String sampler, int[] prompt, int max) {
    Map<List<Integer>, Double> law = new HashMap<>();
    SamplerChain chain = sampling(sampler).chain(prompt, null);
    LmState state = model.start();
    state.append(prompt);
    expand(model, chain, state, List.of(), 1.0, max, law);
    return law;
  }

  private static void expand(LanguageModel model, SamplerChain chain, LmState state, List<Integer> key,
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
      if (t == model.vocabulary().eos()) {
        law.merge(k, mass * p[t], Double::sum);
      } else {
        LmState s = state.fork();
        s.append(t);
        SamplerChain after = chain.copy();
        after.accept(t);
        expand(model, after, s, k, mass * p[t], left - 1, law);
      }
    }
  }

  static void assertTargetLaw(String sampler, String speculation, LanguageModel draft, int n, long seed) {
    assertTargetLaw(sampler, speculation, draft, "", n, seed);
  }

  static void assertTargetLaw(String sampler, String speculation, LanguageModel draft, String prompt, int n,
      long seed) {
    int max = 3;
    Map<List<Integer>, Double> law = exactLaw(TARGET, sampler, TARGET.tokenizer().encode(prompt), max);
    SpeculativeDecoder decoder = Speculative.decoder(sampler, speculation, draft);
    List<Completion> out = Generation.of(TARGET).decoder(decoder).prompt(prompt).maxTokens(max).samples(n).seed(seed)
        .run();
    List<List<Integer>> keys = new ArrayList<>(law.keySet());
    long[] counts = new long[keys.size()];
    double[] p = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      p[i] = law.get(keys.get(i));
    }
    for (Completion c : out) {
      List<Integer> outcome = java.util.Arrays.stream(c.ids()).boxed().toList();
      int i = keys.indexOf(outcome);
      assertThat(i).as("%s with %s: outcome %s is possible", speculation, sampler, outcome).isGreaterThanOrEqualTo(0);
      counts[i]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, p)).as("%s with %s", speculation, sampler).isGreaterThan(1e-4);
    assertThat(decoder.stats().emitted()).isEqualTo(out.stream().mapToLong(c -> c.ids().length).sum());
  }

  /** Sequences of up to 3 tokens (64 outcomes), 20 000 samples each, Pearson chi-square p > 1e-4. */
  @Test
  void everyMethodSamplesTheTargetsSequenceLaw() {
    String[] methods = {"method=standard", "method=spectr,drafts=3", "method=rrs,drafts=3", "method=rrs-wor,drafts=2",
        "method=greedy-md,drafts=2"};
    int seed = 1;
    for (String m : methods) {
      for (int k : new int[] {1, 3}) {
        for (String sampler : new String[] {"sample", "sample:temperature=0.7,top-p=0.9"}) {
          assertTargetLaw(sampler, m + ",k=" + k, DRAFT, 20_000, seed++);
        }
      }
    }
    assertTargetLaw("sample", "draft=prompt-lookup,k=3,lookup-max=2", null, 20_000, seed++);
    assertTargetLaw("sample:temperature=0.5", "method=standard,k=2,schedule=heuristic", DRAFT, 20_000, seed++);
    // penalties: the chain's state must follow the emitted tokens, from the prompt on
    String penalties = "sample:presence-penalty=1.5,repeat-penalty=1.3,repeat-last-n=3";
    for (String m : methods) {
      assertTargetLaw(penalties, m + ",k=3", DRAFT, "a a b", 20_000, seed++);
    }
    assertTargetLaw(penalties, "draft=prompt-lookup,k=3", null, "a b a", 20_000, seed);
  }

  /**
   * After every round the target holds the prompt and the emitted tokens except those it has not
   * consumed yet, and the drafter holds all of them; every round makes exactly one target call.
   */
  @Test
  void targetAndDrafterFollowTheEmittedTokensWithOneCallPerRound() {
    for (String m : new String[] {"method=standard,k=3", "method=spectr,drafts=3,k=2", "method=rrs-wor,drafts=2,k=3",
        "method=greedy-md,drafts=3,k=2", "draft=prompt-lookup,k=3"}) {
      for (long seed = 0; seed < 20; seed++) {
        int[] calls = {0};
        LanguageModel counted = probed(calls, new int[1]);
        SpeculativeDecoder decoder = Speculative.decoder("sample:presence-penalty=0.5", m,
            m.startsWith("draft=") ? null : DRAFT);
        int[] prompt = {0, 1};
        LmState state = counted.start();
        double[][] rows = state.append(prompt);
        SpeculativeDecoder.Run run = (SpeculativeDecoder.Run) decoder.start(counted, state, rows[2], prompt);
        calls[0] = 0;
        List<Integer> all = new ArrayList<>(List.of(0, 1));
        org.fewstep.core.Rng rng = new org.fewstep.core.Rng(seed);
        org.fewstep.text.generate.Decoder.Scoring scoring = new org.fewstep.text.generate.Decoder.Scoring(false, 0,
            new double[4]);
        boolean ended = false;
        for (int round = 0; round < 15 && !ended; round++) {
          for (var c : run.next(8, rng, scoring)) {
            all.add(c.token());
            ended |= c.token() == TARGET.vocabulary().eos();
          }
          if (ended) {
            break;
          }
          int[] expected = all.stream().mapToInt(Integer::intValue).toArray();
          int[] pending = run.unconsumed();
          assertThat(run.target().tokens()).as("%s seed %d round %d", m, seed, round)
              .isEqualTo(java.util.Arrays.copyOf(expected, expected.length - pending.length));
          assertThat(java.util.Arrays.copyOfRange(expected, expected.length - pending.length, expected.length))
              .isEqualTo(pending);
          assertThat(run.drafter().context()).isEqualTo(expected);
        }
        assertThat((long) calls[0]).as("%s: target calls", m).isEqualTo(decoder.stats().targetCalls());
      }
    }
  }

  /**
   * TARGET with probed states: {@code calls} counts model calls (an append of at least one token, a
   * tree call) and {@code checks} counts truncations, each checked against a fresh run.
   */
  static LanguageModel probed(int[] calls, int[] checks) {
    return new LanguageModel() {
      @Override
      public String name() {
        return "probed";
      }

      @Override
      public Tokenizer tokenizer() {
        return TARGET.tokenizer();
      }

      @Override
      public LmState start() {
        return new Probe(TARGET.start(), calls, checks);
      }
    };
  }

  private record Probe(LmState inner, int[] calls, int[] checks) implements LmState {
    @Override
    public int length() {
      return inner.length();
    }

    @Override
    public int token(int position) {
      return inner.token(position);
    }

    @Override
    public void next(double[] out) {
      inner.next(out);
    }

    @Override
    public double[][] append(int... tokens) {
      calls[0] += tokens.length > 0 ? 1 : 0;
      return inner.append(tokens);
    }

    @Override
    public double[][] scoreTree(int[] parents, int[] tokens) {
      calls[0]++;
      return inner.scoreTree(parents, tokens);
    }

    @Override
    public double[][] appendAndScoreTree(int[] prefix, int[] parents, int[] tokens) {
      calls[0]++;
      return inner.appendAndScoreTree(prefix, parents, tokens);
    }

    @Override
    public LmState fork() {
      return new Probe(inner.fork(), calls, checks);
    }

    @Override
    public void truncate(int length) {
      inner.truncate(length);
      double[] after = new double[TARGET.vocabulary().size()];
      inner.next(after);
      double[][] rows = TARGET.start().append(inner.tokens());
      assertThat(after).isEqualTo(rows[rows.length - 1]);
      checks[0]++;
    }
  }

  /** The accepted count of spectr and greedy-md against the sum of their exact acceptance probabilities. */
  @Test
  void multiDraftAcceptanceMatchesItsClosedForm() {
    for (String m : new String[] {"method=spectr,drafts=3,k=3", "method=greedy-md,drafts=2,k=3", "method=standard,k=3"}) {
      SpeculativeDecoder decoder = Speculative.decoder("sample", m + ",optimum=true", DRAFT);
      Generation.of(TARGET).decoder(decoder).maxTokens(60).samples(300).seed(8).run();
      SpeculationStats s = decoder.stats();
      double sd = Math.sqrt(s.expectedAcceptedVariance());
      assertThat((double) s.accepted()).as(m).isCloseTo(s.expectedAccepted(), offset(4 * sd));
      assertThat(s.positions()).isGreaterThan(1000);
      assertThat(s.expectedAcceptance()).isLessThanOrEqualTo(s.optimalAcceptance() + 1e-12);
    }
  }

  /** Context-free target and draft (one-state HMMs): every position accepts with beta = sum min(p, q). */
  static HiddenMarkovModel constant(String name, double[] emission) {
    return new HiddenMarkovModel(name, SYMBOLS, new double[] {1}, new double[][] {{1}}, new double[][] {emission},
        null);
  }

  /** decoding.md 16 A: beta = 0.7, and with k = 4 the block efficiency (1 - 0.7^5) / 0.3 = 2.7731. */
  @Test
  void blockEfficiencyAndAcceptanceMatchTheClosedForms() {
    HiddenMarkovModel target = constant("p", new double[] {0.5, 0.3, 0.2});
    HiddenMarkovModel draft = constant("q", new double[] {0.2, 0.5, 0.3});
    SpeculativeDecoder decoder = Speculative.decoder("sample", "k=4,optimum=true", draft);
    Generation.of(target).decoder(decoder).maxTokens(1000).samples(20).seed(3).run();
    SpeculationStats s = decoder.stats();
    // rounds: about 7 200; per-round tokens have variance below 2, so the mean has sd below 0.017
    assertThat(s.tokensPerCall()).isCloseTo((1 - Math.pow(0.7, 5)) / 0.3, offset(0.05));
    // positions: about 20 000 Bernoulli(0.7) acceptances, sd 0.0033
    assertThat(s.acceptanceRate()).isCloseTo(0.7, offset(0.012));
    assertThat(s.expectedAcceptance()).isCloseTo(0.7, offset(1e-12));
    assertThat(s.optimalAcceptance()).isCloseTo(0.7, offset(1e-12));
    assertThat(s.emitted()).isEqualTo(20_000);
    // p = q: every draft is accepted, k + 1 tokens per call (the last round of each sample is cut)
    SpeculativeDecoder same = Speculative.decoder("sample", "k=4", target);
    Generation.of(target).decoder(same).maxTokens(1000).samples(2).seed(3).run();
    assertThat(same.stats().acceptanceRate()).isEqualTo(1.0);
    assertThat(same.stats().targetCalls()).isEqualTo(2 * 200);
    // disjoint supports: nothing is accepted, one token per call
    HiddenMarkovModel other = constant("r", new double[] {0, 0, 1});
    HiddenMarkovModel only = constant("s", new double[] {0.5, 0.5, 0});
    SpeculativeDecoder none = Speculative.decoder("sample", "k=3", other);
    Generation.of(only).decoder(none).maxTokens(50).seed(1).run();
    assertThat(none.stats().accepted()).isZero();
    assertThat(none.stats().tokensPerCall()).isEqualTo(1.0);
  }

  @Test
  void greedySpeculationIsGreedyDecodingTokenForToken() {
    for (String method : new String[] {"method=standard,k=3", "method=spectr,drafts=3,k=2", "method=greedy-md,drafts=2,k=3"}) {
      for (long seed = 0; seed < 5; seed++) {
        List<Completion> plain = Generation.of(TARGET).decoder("greedy").maxTokens(12).seed(seed).run();
        List<Completion> fast = Generation.of(TARGET).decoder(Speculative.decoder("greedy", method, DRAFT))
            .maxTokens(12).seed(seed).run();
        assertThat(fast.get(0).ids()).isEqualTo(plain.get(0).ids());
      }
    }
  }

  /** A target whose states check, at every rollback, that they equal a fresh run on the kept prefix. */
  @Test
  void rollbackLeavesTheTargetAsAFreshRunOnTheAcceptedPrefix() {
    int[] checks = {0};
    SpeculativeDecoder decoder = Speculative.decoder("sample", "k=4", DRAFT);
    List<Completion> out = Generation.of(probed(new int[1], checks)).decoder(decoder).maxTokens(40).samples(50)
        .seed(2).run();
    assertThat(out).hasSize(50);
    assertThat(checks[0]).isGreaterThan(100);
  }

  /** One tree call gives the rows that appending each root-to-node path would give. */
  @Test
  void scoreTreeEqualsAppendingEachPath() {
    LmState state = TARGET.start();
    state.append(0, 1);
    int[] parents = {-1, 0, 0, -1, 3, 4};
    int[] tokens = {2, 0, 1, 1, 1, 3};
    double[][] rows = state.scoreTree(parents, tokens);
    assertThat(state.tokens()).containsExactly(0, 1); // nothing consumed
    double[] now = new double[TARGET.vocabulary().size()];
    state.next(now);
    assertThat(rows[0]).isEqualTo(now);
    for (int i = 0; i < tokens.length; i++) {
      List<Integer> path = new ArrayList<>();
      for (int n = i; n >= 0; n = parents[n]) {
        path.add(0, tokens[n]);
      }
      double[][] fresh = state.fork().append(path.stream().mapToInt(Integer::intValue).toArray());
      assertThat(rows[i + 1]).as("node %d", i).isEqualTo(fresh[fresh.length - 1]);
    }
    assertThatThrownBy(() -> state.scoreTree(new int[] {0}, new int[] {1})).hasMessageContaining("parents[0]");
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> Speculative.decoder("sample", "k=0", DRAFT)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("k");
    assertThatThrownBy(() -> Speculative.decoder("sample", "k=2,drafts=3", DRAFT))
        .hasMessageContaining("drafts = 3").hasMessageContaining("method=standard");
    assertThatThrownBy(() -> Speculative.decoder("sample", "k=2,method=rrs-wr", DRAFT)).hasMessageContaining("rrs-wr");
    assertThatThrownBy(() -> Speculative.decoder("sample", "k=2")).hasMessageContaining("draft");
    assertThatThrownBy(() -> Speculative.decoder("sample:mirostat=2", "k=2", DRAFT)).hasMessageContaining("mirostat");
    assertThatThrownBy(() -> Speculative.decoder("ead", "k=2", DRAFT)).hasMessageContaining("ead");
    assertThatThrownBy(() -> Speculative.decoder("sample", "draft=prompt-lookup,method=spectr,drafts=2"))
        .hasMessageContaining("prompt-lookup");
    HiddenMarkovModel otherVocabulary = new HiddenMarkovModel("x", List.of("a", "b"), new double[] {1},
        new double[][] {{1}}, new double[][] {{0.5, 0.5}}, new double[] {0.5});
    assertThatThrownBy(() -> Generation.of(TARGET).decoder(Speculative.decoder("sample", "k=2", otherVocabulary))
        .run()).isInstanceOf(BadInputException.class).hasMessageContaining("vocabulary");
  }
}
