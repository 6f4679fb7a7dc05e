package org.fewstep.text.sample;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.Rng;

/**
 * The processors of one sequence, in order, and the final exact draw (llama.cpp's chain). After
 * {@link #sample}, {@link #candidates()} holds the distribution the token was drawn from. Copy a
 * chain to fork a sequence; the copy's state (penalty history, annealing position, mirostat's mu)
 * evolves independently.
 */
public final class SamplerChain {
  private final List<TokenProcessor> processors;
  private final Candidates candidates = new Candidates();

  SamplerChain(List<TokenProcessor> processors) {
    this.processors = List.copyOf(processors);
  }

  /** Runs the processors on {@code logits} (not modified); the result is in {@link #candidates()}. */
  public Candidates apply(double[] logits) {
    candidates.reset(logits);
    for (TokenProcessor p : processors) {
      p.apply(candidates);
    }
    return candidates;
  }

  /** Runs the processors and draws a token id (one uniform from {@code rng}); does not accept it. */
  public int sample(double[] logits, Rng rng) {
    apply(logits);
    return candidates.id(candidates.sample(rng));
  }

  /** Natural-log probability of {@code token} under the last processed distribution (-inf if cut). */
  public double logProbability(int token) {
    int i = candidates.indexOf(token);
    return i < 0 ? Double.NEGATIVE_INFINITY : candidates.logProbability(i);
  }

  /** Tells every processor the chosen token. */
  public void accept(int token) {
    for (TokenProcessor p : processors) {
      p.accept(token);
    }
  }

  /** The candidates after the last {@link #apply}. */
  public Candidates candidates() {
    return candidates;
  }

  /** The processors' names in order, e.g. [top-k, top-p, temperature]. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    processors.forEach(p -> names.add(p.name()));
    return names;
  }

  /** An independent copy (fresh working arrays, copied processor state). */
  public SamplerChain copy() {
    List<TokenProcessor> copies = new ArrayList<>();
    processors.forEach(p -> copies.add(p.copy()));
    return new SamplerChain(copies);
  }
}
