package org.fewstep.diffusion;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * Per-row conditioning of a batched model call. This version carries class labels, with
 * {@link #NONE} for the unconditional ("null") condition that classifier-free guidance contrasts
 * against. Immutable.
 */
public final class Conditioning {
  /** The label of an unconditional row. */
  public static final int NONE = -1;

  private final int[] labels;

  private Conditioning(int[] labels) {
    this.labels = labels;
  }

  /** One label per row ({@link #NONE} = unconditional). */
  public static Conditioning labels(int... labels) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < NONE) {
        throw BadInputException.of("label[" + i + "]", labels[i], "a class index >= 0 (or -1 for none)");
      }
    }
    return new Conditioning(labels.clone());
  }

  /** {@code rows} unconditional rows. */
  public static Conditioning unconditional(int rows) {
    int[] labels = new int[rows];
    Arrays.fill(labels, NONE);
    return new Conditioning(labels);
  }

  public int rows() {
    return labels.length;
  }

  /** The label of {@code row}, or {@link #NONE}. */
  public int label(int row) {
    return labels[row];
  }

  /** Whether every row is unconditional. */
  public boolean isUnconditional() {
    for (int l : labels) {
      if (l != NONE) {
        return false;
      }
    }
    return true;
  }

  /** The rows of this, then the rows of {@code other}. */
  public Conditioning concat(Conditioning other) {
    int[] all = Arrays.copyOf(labels, labels.length + other.labels.length);
    System.arraycopy(other.labels, 0, all, labels.length, other.labels.length);
    return new Conditioning(all);
  }

  /** Checks the labels against a model with {@code classes} classes. */
  public void requireLabelsBelow(int classes, String model) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != NONE && labels[i] >= classes) {
        throw BadInputException.of("label[" + i + "]", labels[i],
            classes == 0 ? "none: " + model + " is unconditional" : "a class in [0, " + (classes - 1) + "] for " + model);
      }
    }
  }

  @Override
  public String toString() {
    return "Conditioning" + Arrays.toString(labels);
  }
}
