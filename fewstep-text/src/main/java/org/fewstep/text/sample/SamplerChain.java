package org.fewstep.text.sample;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.Rng;

/**
 * The processors of one sequence, in order, and the final exact draw (llama.cpp's chain). After
 * {@link #apply}, {@link #candidates()} holds the processed distribution; {@link #sample} may skip
 * building it (see {@link NucleusDraw}), and {@link #logProbability} builds it when asked. Copy a
 * chain to fork a sequence; the copy's state (penalty history, annealing position, mirostat's mu)
 * evolves independently.
 */
public final class SamplerChain {
  private final List<TokenProcessor> processors;
  private final Candidates candidates = new Candidates();
  /** When not null: the draw by rejection, after the first {@code before} processors. */
  private final NucleusDraw nucleus;
  private final int before;
  private final NucleusDraw.Work work;
  private double[] last;
  private boolean processed;

  SamplerChain(List<TokenProcessor> processors) {
    this(processors, null, 0);
  }

  SamplerChain(List<TokenProcessor> processors, NucleusDraw nucleus, int before) {
    this.processors = List.copyOf(processors);
    this.nucleus = nucleus;
    this.before = before;
    this.work = nucleus == null ? null : new NucleusDraw.Work();
  }

  /** Runs the processors on {@code logits} (not modified); the result is in {@link #candidates()}. */
  public Candidates apply(double[] logits) {
    candidates.reset(logits);
    for (TokenProcessor p : processors) {
      p.apply(candidates);
    }
    last = logits;
    processed = true;
    return candidates;
  }

  /**
   * Runs the processors and draws a token id from the result; does not accept it. A chain whose only
   * truncations are top-p and min-p draws by rejection ({@link NucleusDraw}) without building the
   * truncated set; any other chain draws once from {@link #candidates()}.
   */
  public int sample(double[] logits, Rng rng) {
    if (nucleus == null) {
      apply(logits);
      return candidates.id(candidates.sample(rng));
    }
    last = logits;
    processed = false;
    int token;
    if (before == 0) {
      token = nucleus.draw(logits, logits.length, rng, work);
    } else {
      candidates.reset(logits);
      for (int j = 0; j < before; j++) {
        processors.get(j).apply(candidates);
      }
      token = nucleus.draw(candidates.logitArray(), candidates.size(), rng, work);
    }
    if (token >= 0) {
      return token;
    }
    apply(logits); // the rejection draw gave up: build the set and draw from it (the same law)
    return candidates.id(candidates.sample(rng));
  }

  /**
   * The processed distribution of {@code logits} as a dense probability vector over the vocabulary
   * ({@code out}, zero for cut tokens): what speculative verification compares.
   */
  public double[] distribution(double[] logits, double[] out) {
    apply(logits);
    java.util.Arrays.fill(out, 0.0);
    for (int i = 0; i < candidates.size(); i++) {
      out[candidates.id(i)] = candidates.probability(i);
    }
    return out;
  }

  /** Whether a processor keeps state between steps (penalties, annealing, mirostat). */
  public boolean stateful() {
    for (TokenProcessor p : processors) {
      if (p.copy() != p) {
        return true;
      }
    }
    return false;
  }

  /** Natural-log probability of {@code token} under the last processed distribution (-inf if cut). */
  public double logProbability(int token) {
    if (!processed) {
      apply(last);
    }
    int i = candidates.indexOf(token);
    return i < 0 ? Double.NEGATIVE_INFINITY : candidates.logProbability(i);
  }

  /** Tells every processor the chosen token. */
  public void accept(int token) {
    for (TokenProcessor p : processors) {
      p.accept(token);
    }
  }

  /** The candidates after the last {@link #apply} (after {@link #sample}, only if it built them). */
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
    return new SamplerChain(copies, nucleus, before);
  }
}
