package org.fewstep.text.masked;

import java.util.Arrays;
import org.fewstep.core.Rng;

/**
 * One row being decoded: it says which positions' logits its next step needs ({@link #from},
 * {@link #to}), and {@link #accept} runs the step on them (one forward pass, one NFE). The base class
 * keeps the sequence, counts and reports steps; subclasses are the algorithms.
 */
public abstract class MaskedRun {
  /** The sequence being decoded (prompt included). */
  protected final int[] x;
  /** The generated region {@code [start, end)}. */
  protected final int start;
  protected final int end;
  protected final int vocab;
  protected final int mask;
  protected final Rng rng;
  private final int row;
  private final MaskedListener listener;
  private int nfe;
  private int remasked;
  private int maskedLeft;
  private int[] committed = new int[8];
  private int[] tokens = new int[8];
  private double[] confidences = new double[8];
  private int commits;
  private int[] remaskedNow = new int[8];
  private int remasks;

  protected MaskedRun(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
    this.x = x;
    this.start = start;
    this.end = end;
    this.vocab = model.vocabSize();
    this.mask = model.maskId();
    this.rng = rng;
    this.row = row;
    this.listener = listener;
    this.maskedLeft = end - start;
  }

  /** Whether every position is decoded. */
  public final boolean done() {
    return maskedLeft == 0;
  }

  /** The first position whose logits the next step needs. */
  public abstract int from();

  /** One past the last position whose logits the next step needs. */
  public abstract int to();

  /** Runs one step on the logits of {@code [from(), to())} from one forward pass of {@link #tokens()}. */
  public final void accept(double[] logits) {
    nfe++;
    step(logits);
  }

  /** The algorithm's step: commit (and maybe re-mask) positions, then {@link #report}. */
  protected abstract void step(double[] logits);

  /** The current sequence (live; the model reads it). */
  public int[] tokens() {
    return x;
  }

  /** Forward passes so far. */
  public int nfe() {
    return nfe;
  }

  /** Positions re-masked so far. */
  public int remasked() {
    return remasked;
  }

  /** Masked positions left. */
  public int maskedLeft() {
    return maskedLeft;
  }

  /** Sets {@code x[i] = token}, recorded for this step's event. */
  protected final void commit(int i, int token, double confidence) {
    if (commits == committed.length) {
      committed = Arrays.copyOf(committed, 2 * commits);
      tokens = Arrays.copyOf(tokens, 2 * commits);
      confidences = Arrays.copyOf(confidences, 2 * commits);
    }
    committed[commits] = i;
    tokens[commits] = token;
    confidences[commits++] = confidence;
    x[i] = token;
    maskedLeft--;
  }

  /** Masks {@code x[i]} again, recorded for this step's event. */
  protected final void remask(int i) {
    if (remasks == remaskedNow.length) {
      remaskedNow = Arrays.copyOf(remaskedNow, 2 * remasks);
    }
    remaskedNow[remasks++] = i;
    x[i] = mask;
    remasked++;
    maskedLeft++;
  }

  /** Ends the step: sends its event (with the diffusion time, or NaN) and clears the records. */
  protected final void report(double time) {
    if (listener != MaskedListener.NONE) {
      listener.onStep(new MaskedStep(row, nfe, time, Arrays.copyOf(committed, commits),
          Arrays.copyOf(tokens, commits), Arrays.copyOf(confidences, commits),
          Arrays.copyOf(remaskedNow, remasks), maskedLeft));
    }
    commits = 0;
    remasks = 0;
  }
}
