package org.fewstep.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;

/**
 * A model whose logits are another model's with every token the constraint forbids set to
 * {@code -Infinity}, from position {@code promptLength} on (the prompt is not constrained). Its
 * next-token law is the locally constrained one (decoding.md 6, GCD), so any decoder of fewstep runs
 * under the constraint unchanged: greedy, sampling, CNTP, and exact speculative decoding, whose
 * rejected drafts are rolled back by {@link LmState#truncate}, which pops the constraint states kept
 * per position (as {@link ConstraintMatcher} does). As the state contract asks of exact models, a
 * forbidden token can still be consumed (a draft to be rejected); every row after it is then
 * {@code -Infinity}.
 */
public final class ConstrainedModel implements LanguageModel {
  private final LanguageModel base;
  private final TokenConstraint constraint;
  private final int promptLength;

  /**
   * @param promptLength the tokens at positions below it are the prompt, read freely; the constraint
   *                     applies to the text after them
   */
  public ConstrainedModel(LanguageModel base, TokenConstraint constraint, int promptLength) {
    constraint.requireVocabularyOf(base);
    this.base = base;
    this.constraint = constraint;
    this.promptLength = BadInputException.requireAtLeast("prompt length", promptLength, 0);
  }

  @Override
  public String name() {
    return base.name() + " under " + constraint.describe();
  }

  @Override
  public Tokenizer tokenizer() {
    return base.tokenizer();
  }

  @Override
  public LmState start() {
    List<ConstraintState> states = new ArrayList<>();
    states.add(constraint.start());
    return new State(base.start(), states);
  }

  /** The base state and the constraint state after each constrained position (null once a token was forbidden). */
  private final class State implements LmState {
    private final LmState inner;
    private final List<ConstraintState> states;
    private final long[] words = new long[(constraint.vocabulary().size() + 63) >>> 6];

    State(LmState inner, List<ConstraintState> states) {
      this.inner = inner;
      this.states = states;
    }

    /** The constraint state before position {@code p} (null: forbidden earlier); unused below the prompt's end. */
    private ConstraintState before(int p) {
      return states.get(p - promptLength);
    }

    /** Masks {@code row}, the law of the token at position {@code p}. */
    private void mask(double[] row, int p) {
      if (p < promptLength) {
        return;
      }
      ConstraintState s = before(p);
      if (s == null) {
        Arrays.fill(row, Double.NEGATIVE_INFINITY);
        return;
      }
      s.mask(words);
      for (int t = 0; t < row.length; t++) {
        if ((words[t >>> 6] >>> t & 1) == 0) {
          row[t] = Double.NEGATIVE_INFINITY;
        }
      }
    }

    /** Records the constraint state after the token at position {@code p}. */
    private void consumed(int p, int token) {
      if (p < promptLength) {
        return;
      }
      ConstraintState s = before(p);
      states.add(s != null && s.allows(token) ? s.advance(token) : null);
    }

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
      mask(out, inner.length());
    }

    @Override
    public double[][] append(int... tokens) {
      int p = inner.length();
      double[][] rows = inner.append(tokens);
      for (int i = 0; i <= tokens.length; i++) {
        mask(rows[i], p + i);
        if (i < tokens.length) {
          consumed(p + i, tokens[i]);
        }
      }
      return rows;
    }

    @Override
    public double[] prefill(int[] tokens, double[] tokenLogits) {
      int p = inner.length();
      double[] last = inner.prefill(tokens, tokenLogits);
      for (int i = 0; i < tokens.length; i++) {
        if (tokenLogits != null && p + i >= promptLength
            && (before(p + i) == null || !before(p + i).allows(tokens[i]))) {
          tokenLogits[i] = Double.NEGATIVE_INFINITY;
        }
        consumed(p + i, tokens[i]);
      }
      mask(last, p + tokens.length);
      return last;
    }

    @Override
    public LmState fork() {
      return new State(inner.fork(), new ArrayList<>(states));
    }

    @Override
    public void truncate(int length) {
      inner.truncate(length);
      int keep = Math.max(0, length - promptLength) + 1;
      while (states.size() > keep) {
        states.remove(states.size() - 1);
      }
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
