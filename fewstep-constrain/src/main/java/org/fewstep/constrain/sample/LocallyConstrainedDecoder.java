package org.fewstep.constrain.sample;

import java.util.List;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.TokenChoice;

/**
 * Locally constrained decoding (grammar-constrained decoding, "GCD" in Park et al. 2024, decoding.md
 * 6(b)): at every step the tokens the constraint does not allow get logit {@code -Infinity}, the rest
 * is renormalised and one token is drawn in double precision ({@link Categorical}); the end token
 * only where the text so far is in the language. Every completion is in the language, but its law is
 * P(w) restricted step by step, not P(w | w in L): each step ignores how likely the prefix is to
 * finish inside the language (see {@link Asap} and {@link ConstrainedSmc} for the correct law).
 *
 * <pre>{@code
 * Generation.of(model).decoder(new LocallyConstrainedDecoder(constraint)).samples(4).seed(7).run();
 * }</pre>
 * A prefix after which the model gives zero probability to every allowed token is a
 * {@link org.fewstep.core.BadInputException}.
 */
public final class LocallyConstrainedDecoder implements Decoder {
  private final TokenConstraint constraint;

  public LocallyConstrainedDecoder(TokenConstraint constraint) {
    this.constraint = constraint;
  }

  @Override
  public String spec() {
    return "constrained:" + constraint.describe();
  }

  /** The constraint followed. */
  public TokenConstraint constraint() {
    return constraint;
  }

  @Override
  public Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt) {
    constraint.requireVocabularyOf(model);
    int eos = model.vocabulary().eos();
    return new Sequence() {
      private ConstraintState at = constraint.start();
      private double[] current = logits;
      private final double[] masked = new double[logits.length];
      private final long[] words = new long[Masking.words(logits.length)];
      private final Categorical categorical = new Categorical();
      private int generated;

      @Override
      public List<TokenChoice> next(int budget, Rng rng, Scoring scoring) {
        if (Masking.mask(at, current, masked, words) == 0) {
          throw Masking.deadEnd(constraint, generated);
        }
        categorical.setLogits("constrained logits", masked, masked.length);
        int token = categorical.sample(rng);
        TokenChoice choice = scoring.choice(token, current, () -> categorical.logProbability(token));
        at = at.advance(token);
        generated++;
        if (token != eos) {
          current = state.append(token)[1];
        }
        return List.of(choice);
      }
    };
  }
}
