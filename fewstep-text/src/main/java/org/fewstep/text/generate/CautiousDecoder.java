package org.fewstep.text.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;

/**
 * Cautious next token prediction, CNTP (Wang et al., Findings of ACL 2025; decoding.md 8). When the
 * entropy H of the processed next-token distribution is high, it samples N independent trials from
 * the current state, each up to and including the first punctuation token (or the end of the
 * sequence, or the token budget), and keeps the trial of lowest perplexity
 * exp(-mean log p) under the processed distributions; otherwise it samples one token as usual.
 * N = nMin + floor((nMax - nMin) clip((H - hLow) / (hHigh - hLow), 0, 1)) with nMin = 1, as in the
 * official {@code _sample_reflect_perplexity}. Defaults are the experiment scripts' (N_max 10,
 * H_low 0.01, H_high 1.5). The entropy here is exact; the official code adds 1e-10 inside the log,
 * a difference below V * 1e-10 nats. Trials draw from generators split off the sequence's in order.
 * The output is biased toward low-perplexity spans by design: it is not a sampler of the model.
 */
final class CautiousDecoder implements Decoder {
  /** The official punctuation marks; a trial ends at the first token of any of them. */
  static final List<String> PUNCTUATION = List.of(".", ",", "\n", "?", "!", ":", ";", ")", "]", "}");

  private final String spec;
  private final Sampling sampling;
  private final int nMax;
  private final double hLow;
  private final double hHigh;
  private final int maxTrialTokens;
  private final TrialObserver observer;

  /** Sees every branching step: the entropy, each trial's tokens and perplexity, and the chosen trial. */
  interface TrialObserver {
    void trials(double entropy, List<int[]> trials, double[] perplexities, int chosen);
  }

  CautiousDecoder(String spec, Sampling sampling, int nMax, double hLow, double hHigh, int maxTrialTokens) {
    this(spec, sampling, nMax, hLow, hHigh, maxTrialTokens, (h, t, p, c) -> { });
  }

  private CautiousDecoder(String spec, Sampling sampling, int nMax, double hLow, double hHigh, int maxTrialTokens,
      TrialObserver observer) {
    if (!(hHigh > hLow)) {
      throw BadInputException.of("h-high", hHigh, "a number above h-low = " + hLow);
    }
    this.spec = spec;
    this.sampling = sampling;
    this.nMax = nMax;
    this.hLow = hLow;
    this.hHigh = hHigh;
    this.maxTrialTokens = maxTrialTokens;
    this.observer = observer;
  }

  /** This decoder reporting its trials to {@code o} (for tests and diagnostics). */
  CautiousDecoder observed(TrialObserver o) {
    return new CautiousDecoder(spec, sampling, nMax, hLow, hHigh, maxTrialTokens, o);
  }

  @Override
  public String spec() {
    return spec;
  }

  /** The number of trials at entropy {@code h} (decoding.md 16 F). */
  int trials(double h) {
    double x = Math.min(1, Math.max(0, (h - hLow) / (hHigh - hLow)));
    return 1 + (int) Math.floor((nMax - 1) * x);
  }

  /** Ids of the first tokens of the punctuation marks that the tokenizer can encode, and EOS. */
  static Set<Integer> stopTokens(LanguageModel model) {
    Set<Integer> ids = new HashSet<>();
    Tokenizer tokenizer = model.tokenizer();
    for (String mark : PUNCTUATION) {
      try {
        int[] encoded = tokenizer.encode(mark);
        if (encoded.length > 0) {
          ids.add(encoded[0]);
        }
      } catch (BadInputException e) {
        // this vocabulary cannot spell the mark (e.g. an HMM's symbols): nothing to stop at
      }
    }
    if (model.vocabulary().eos() >= 0) {
      ids.add(model.vocabulary().eos());
    }
    return ids;
  }

  @Override
  public Sequence start(LanguageModel model, LmState initial, double[] initialLogits, int[] prompt) {
    sampling.requireTokensOf(model.vocabulary());
    Set<Integer> stops = stopTokens(model);
    int eos = model.vocabulary().eos();
    return new Sequence() {
      SamplerChain chain = sampling.chain(prompt, null);
      Span at = new Span(List.of(), initial, initialLogits);
      /** Whether {@code at.state()} is a fork this sequence made (the initial state is the caller's). */
      boolean owned;

      @Override
      public List<TokenChoice> next(int budget, Rng rng, Scoring scoring) {
        LmState state = at.state();
        double[] logits = at.next();
        double h = chain.apply(logits).entropy();
        int n = trials(h);
        if (n == 1) {
          at = trial(chain, state, logits, budget, rng, scoring, stops, eos, 1).step;
          return at.tokens();
        }
        Trial[] trials = new Trial[n];
        int chosen = 0;
        List<int[]> spans = new ArrayList<>();
        double[] perplexities = new double[n];
        for (int j = 0; j < n; j++) {
          SamplerChain copy = chain.copy();
          trials[j] = trial(copy, state.fork(), logits, budget, rng.split(), scoring, stops, eos, maxTrialTokens);
          trials[j].chain = copy;
          spans.add(trials[j].step.tokens().stream().mapToInt(TokenChoice::token).toArray());
          perplexities[j] = trials[j].perplexity;
          if (trials[j].perplexity < trials[chosen].perplexity) {
            chosen = j;
          }
        }
        observer.trials(h, spans, perplexities, chosen);
        for (int j = 0; j < n; j++) { // the other trials' forks, and a fork this sequence moves past
          if (j != chosen) {
            trials[j].step.state().close();
          }
        }
        if (owned) {
          state.close();
        }
        owned = true;
        chain = trials[chosen].chain;
        at = trials[chosen].step;
        return at.tokens();
      }

      @Override
      public void close() {
        if (owned) {
          at.state().close();
        }
      }
    };
  }

  /** One trial; with {@code limit} 1 it is one ordinary sampling step on {@code chain} and {@code state}. */
  private static Trial trial(SamplerChain chain, LmState state, double[] logits, int budget, Rng rng,
      Scoring scoring, Set<Integer> stops, int eos, int limit) {
    List<TokenChoice> tokens = new ArrayList<>();
    double sumLogprob = 0;
    double[] current = logits;
    int cap = limit > 0 ? Math.min(limit, budget) : budget;
    while (true) {
      int token = chain.sample(current, rng);
      double lp = chain.logProbability(token);
      tokens.add(scoring.choice(token, current, () -> lp));
      chain.accept(token);
      sumLogprob += lp;
      if (token == eos) {
        current = null;
        break;
      }
      current = state.append(token)[1];
      if (stops.contains(token) || tokens.size() >= cap) {
        break;
      }
    }
    Trial t = new Trial();
    t.perplexity = Math.exp(-sumLogprob / tokens.size());
    t.step = new Span(tokens, state, current);
    return t;
  }

  /** A trial's tokens, the state after them and the next logits (null after the end token). */
  private record Span(List<TokenChoice> tokens, LmState state, double[] next) {}

  private static final class Trial {
    double perplexity;
    Span step;
    SamplerChain chain;
  }
}
