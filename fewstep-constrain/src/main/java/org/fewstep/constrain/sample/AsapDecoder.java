package org.fewstep.constrain.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.TokenChoice;

/**
 * {@link Asap} as a {@link Decoder}: {@code Generation.of(model).decoder(new AsapDecoder(constraint))}.
 * The decoder keeps one ASAp trie per (model, prompt) and reuses it for every completion it decodes,
 * in this and later generations: persisting the trie is part of the method (decoding.md 6(b)), so
 * successive completions approach the model conditioned on the language. Each completion is drawn
 * whole on the first request and handed out as one span (at most the token budget; a completion cut
 * by the budget leaves the trie as a shorter sample would).
 *
 * <p>Scores: {@code logprob} is the model's log P(t | w); {@code samplingLogprob} the log of the ASAp
 * probability the token was drawn with; no alternatives are listed (the trie keeps
 * only the allowed tokens' probabilities).
 */
public final class AsapDecoder implements Decoder {
  private final TokenConstraint constraint;
  private final Map<LanguageModel, Map<String, Asap>> samplers = new IdentityHashMap<>();

  public AsapDecoder(TokenConstraint constraint) {
    this.constraint = constraint;
  }

  @Override
  public String spec() {
    return "asap:" + constraint.describe();
  }

  /** The ASAp sampler (trie) used for {@code model} after {@code prompt}, created on first use. */
  public synchronized Asap sampler(LanguageModel model, int[] prompt) {
    return samplers.computeIfAbsent(model, m -> new HashMap<>())
        .computeIfAbsent(Arrays.toString(prompt), k -> new Asap(model, constraint, prompt));
  }

  @Override
  public Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt) {
    Asap asap = sampler(model, prompt);
    return (budget, rng, scoring) -> {
      Asap.Sample s = asap.sample(state, logits, rng, budget);
      int[] tokens = s.tokens();
      double[] logProbs = s.logProbs();
      double[] sampling = s.samplingLogProbs();
      List<TokenChoice> out = new ArrayList<>();
      for (int k = 0; k < tokens.length; k++) {
        out.add(scoring.logprobs() ? new TokenChoice(tokens[k], logProbs[k], sampling[k], List.of())
            : new TokenChoice(tokens[k], Double.NaN, Double.NaN, List.of()));
      }
      return out;
    };
  }
}
