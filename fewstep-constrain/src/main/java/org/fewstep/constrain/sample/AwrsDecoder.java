package org.fewstep.constrain.sample;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.TokenChoice;

/**
 * Locally constrained decoding by {@link Awrs}' first pass alone ({@link Awrs.Estimator#NONE}): each token is an exact draw from the
 * model's next-token law restricted to the tokens the constraint allows (the law of
 * {@link LocallyConstrainedDecoder}), found by testing tokens in Gumbel-key order until one passes,
 * so a step costs a few constraint tests instead of a full mask (decoding.md 7). The weights are not
 * used here; {@link ConstrainedSmc} uses them. {@link #evaluations()} and {@link #tokens()} count the
 * tests and the tokens drawn, over every sequence of this decoder.
 */
public final class AwrsDecoder implements Decoder {
  private final TokenConstraint constraint;
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();

  public AwrsDecoder(TokenConstraint constraint) {
    this.constraint = constraint;
  }

  @Override
  public String spec() {
    return "awrs:" + constraint.describe();
  }

  /** Constraint tests made so far. */
  public long evaluations() {
    return evaluations.get();
  }

  /** Tokens drawn so far. */
  public long tokens() {
    return tokens.get();
  }

  @Override
  public Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt) {
    constraint.requireVocabularyOf(model);
    int eos = model.vocabulary().eos();
    return new Sequence() {
      private final Awrs awrs = new Awrs(Awrs.Estimator.NONE, 2, Integer.MAX_VALUE);
      private ConstraintState at = constraint.start();
      private double[] current = logits;
      private int generated;

      @Override
      public List<TokenChoice> next(int budget, Rng rng, Scoring scoring) {
        Awrs.Draw draw = awrs.sample(current, at, rng);
        evaluations.addAndGet(draw.evaluations());
        if (!draw.accepted()) {
          throw Masking.deadEnd(constraint, generated);
        }
        int token = draw.token();
        tokens.incrementAndGet();
        TokenChoice choice = scoring.choice(token, current, () -> Masking.constrainedLogProbability(at, current, token));
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
