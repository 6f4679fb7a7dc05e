package org.fewstep.text.masked;

import org.fewstep.text.Tokenizer;

/**
 * Unsupervised classifier-free guidance for masked LMs (LLaDA's {@code cfg_scale}, Nie et al. 2025,
 * after Ho and Salimans 2022): each row is scored twice, as it is and with its prompt masked, and the
 * logits are {@code un + (w + 1)(cond - un)}. One call of this model is one batched call of the
 * wrapped model with twice the rows; it counts as one NFE, as in the reference code.
 */
final class GuidedMaskedLm implements MaskedLm {
  private final MaskedLm model;
  private final int promptLength;
  private final double scale;

  GuidedMaskedLm(MaskedLm model, int promptLength, double scale) {
    this.model = model;
    this.promptLength = promptLength;
    this.scale = scale;
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public Tokenizer tokenizer() {
    return model.tokenizer();
  }

  @Override
  public int vocabSize() {
    return model.vocabSize();
  }

  @Override
  public int maskId() {
    return model.maskId();
  }

  @Override
  public int maxLength() {
    return model.maxLength();
  }

  @Override
  public void logits(int[][] x, int from, int to, double[][] out) {
    int rows = x.length;
    int[][] both = new int[2 * rows][];
    double[][] outs = new double[2 * rows][];
    for (int r = 0; r < rows; r++) {
      both[r] = x[r];
      both[rows + r] = x[r].clone();
      java.util.Arrays.fill(both[rows + r], 0, promptLength, model.maskId());
      outs[r] = out[r];
      outs[rows + r] = new double[out[r].length];
    }
    model.logits(both, from, to, outs);
    int size = (to - from) * model.vocabSize();
    for (int r = 0; r < rows; r++) {
      double[] cond = out[r];
      double[] un = outs[rows + r];
      for (int e = 0; e < size; e++) {
        // a token impossible under either model keeps its conditional logit (-Infinity stays impossible)
        if (cond[e] != Double.NEGATIVE_INFINITY && un[e] != Double.NEGATIVE_INFINITY) {
          cond[e] = un[e] + (scale + 1) * (cond[e] - un[e]);
        }
      }
    }
  }
}
