package org.fewstep.bench;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.io.Table;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.model.HiddenMarkovModel;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.speculative.SpeculationStats;
import org.fewstep.text.speculative.Speculative;
import org.fewstep.text.speculative.SpeculativeDecoder;

/**
 * The speculative-decoding experiment behind {@code fewstep bench speculative}: for each verifier,
 * draft length k and number of drafts K, generate from a target with a draft and measure the
 * acceptance rate (with its binomial standard error), the verifier's exact expected acceptance and
 * the optimal acceptance at the verified positions (decoding.md 3), accepted drafts and tokens per
 * target call, the latter against
 * the closed form (1 - a^(k+1)) / (1 - a) for one draft, target calls per token and draft
 * evaluations.
 */
public final class SpeculativeBenchmark {
  private SpeculativeBenchmark() {}

  /** The verifiers; standard takes one draft, the others K. */
  public static final List<String> METHODS = List.of("standard", "spectr", "rrs", "rrs-wor", "greedy-md");

  /** A target and its draft. */
  public record Pair(String name, LanguageModel target, LanguageModel draft, String description) {}

  /** One measured configuration. */
  public record Result(String pair, String method, int k, int drafts, long tokens, long calls, long positions,
      double acceptance, double acceptanceSe, double expected, double optimal, double acceptedPerCall,
      double tokensPerCall,
      double theory, double callsPerToken, long draftCalls, double seconds) {

    /** Measured acceptance as a fraction of the optimum. */
    public double fractionOfOptimal() {
      return acceptance / optimal;
    }
  }

  /**
   * The pairs: {@code kjv} (kjv target, kjv-small draft), {@code hmm} (a 3-state HMM target with a
   * 2-state HMM draft of other dynamics, over 3 symbols and an end) and {@code constant} (one-state
   * HMMs with p = (0.5, 0.3, 0.2), q = (0.2, 0.5, 0.3): every position accepts with 0.7, decoding.md
   * 16 A).
   */
  public static Pair pair(String name) {
    List<String> symbols = List.of("a", "b", "c");
    switch (name) {
      case "kjv":
        return new Pair(name, LanguageModels.create("kjv"), LanguageModels.create("kjv-small"),
            "kjv (5-gram) target, kjv-small (2-gram) draft, cl100k");
      case "hmm":
        return new Pair(name,
            new HiddenMarkovModel("hmm-target", symbols, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0.8, 0.1, 0.1}, {0.2, 0.6, 0.2}, {0.3, 0.3, 0.4}},
                new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}}, new double[] {0.02, 0.01, 0.03}),
            new HiddenMarkovModel("hmm-draft", symbols, new double[] {0.6, 0.4},
                new double[][] {{0.5, 0.5}, {0.5, 0.5}}, new double[][] {{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}},
                new double[] {0.015, 0.025}),
            "3-state HMM target, 2-state HMM draft, 3 symbols and an end");
      case "constant":
        return new Pair(name,
            new HiddenMarkovModel("p", symbols, new double[] {1}, new double[][] {{1}},
                new double[][] {{0.5, 0.3, 0.2}}, null),
            new HiddenMarkovModel("q", symbols, new double[] {1}, new double[][] {{1}},
                new double[][] {{0.2, 0.5, 0.3}}, null),
            "context-free p = (0.5, 0.3, 0.2), q = (0.2, 0.5, 0.3): beta = 0.7 at every position");
      default:
        throw org.fewstep.core.BadInputException.of("pair", name, "kjv, hmm or constant");
    }
  }

  /**
   * A pair of any two registered language models over one vocabulary, e.g. exported ones:
   * {@code onnx:DIR} and {@code onnx:DIR2}.
   */
  public static Pair pair(String target, String draft) {
    LanguageModel t = LanguageModels.create(target);
    LanguageModel d = LanguageModels.create(draft);
    return new Pair(target + " / " + draft, t, d, "target " + t.name() + ", draft " + d.name());
  }

  /** Generates {@code samples} sequences of at most {@code maxTokens} with one configuration. */
  public static Result run(Pair pair, String sampler, String method, int k, int drafts, int samples, int maxTokens,
      long seed, boolean optimum) {
    SpeculativeDecoder decoder = Speculative.decoder(sampler,
        "method=" + method + ",k=" + k + ",drafts=" + drafts + ",optimum=" + optimum, pair.draft());
    long start = System.nanoTime();
    List<Completion> out = Generation.of(pair.target()).decoder(decoder).maxTokens(maxTokens).samples(samples)
        .seed(seed).run();
    double seconds = (System.nanoTime() - start) / 1e9;
    SpeculationStats s = decoder.stats();
    double a = s.acceptanceRate();
    double se = Math.sqrt(a * (1 - a) / Math.max(1, s.positions()));
    double e = s.expectedAcceptance();
    double theory = drafts == 1 && !Double.isNaN(e) ? (1 - Math.pow(e, k + 1)) / (1 - e) : Double.NaN;
    long tokens = out.stream().mapToLong(c -> c.ids().length).sum();
    return new Result(pair.name(), method, k, drafts, tokens, s.targetCalls(), s.positions(), a, se, e,
        s.optimalAcceptance(), (double) s.accepted() / s.targetCalls(), s.tokensPerCall(), theory, s.callsPerToken(),
        s.draftCalls(), seconds);
  }

  /** Every method for every k and K (standard with K = 1 only). */
  public static List<Result> grid(Pair pair, String sampler, List<String> methods, int[] ks, int[] draftCounts,
      int samples, int maxTokens, long seed, boolean optimum) {
    List<Result> results = new ArrayList<>();
    for (String m : methods) {
      for (int k : ks) {
        for (int d : draftCounts) {
          if (m.equals("standard") && d != 1) {
            continue;
          }
          results.add(run(pair, sampler, m, k, d, samples, maxTokens, seed, optimum));
        }
      }
    }
    return results;
  }

  /** All measurements as a table (CSV or Markdown). */
  public static Table table(List<Result> results) {
    Table t = new Table("pair", "method", "k", "K", "tokens", "target calls", "acceptance", "± se", "expected",
        "optimal", "of optimal", "expected of optimal", "accepted/call", "tokens/call", "theory", "calls/token",
        "draft evals", "seconds");
    t.doubleFormat("%.4f");
    for (Result r : results) {
      t.add(r.pair(), r.method(), r.k(), r.drafts(), r.tokens(), r.calls(), r.acceptance(), r.acceptanceSe(),
          r.expected(), r.optimal(), r.fractionOfOptimal(), r.expected() / r.optimal(), r.acceptedPerCall(),
          r.tokensPerCall(), r.theory(), r.callsPerToken(),
          r.draftCalls(), r.seconds());
    }
    return t;
  }
}
