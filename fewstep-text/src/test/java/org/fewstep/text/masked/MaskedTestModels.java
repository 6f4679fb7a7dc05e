package org.fewstep.text.masked;

import org.fewstep.text.model.HiddenMarkovModel;
import org.fewstep.text.model.HmmMaskedLm;
import org.fewstep.text.model.LanguageModels;

/** The exact masked models of the tests. */
final class MaskedTestModels {
  private MaskedTestModels() {}

  /** The bundled motif-hmm: 4 states, 6 symbols, strongly dependent neighbours. */
  static HmmMaskedLm motif() {
    return ((HiddenMarkovModel) LanguageModels.create("motif-hmm")).masked();
  }

  /** A near-deterministic 3-state cycle over 3 symbols: confidences close to 1 are common. */
  static HmmMaskedLm sticky() {
    return HiddenMarkovModel.fromJson("""
        {"vocab": ["x", "y", "z"], "initial": [0.8, 0.1, 0.1],
         "transition": [[0.04, 0.92, 0.04], [0.04, 0.04, 0.92], [0.92, 0.04, 0.04]],
         "emission": [[0.94, 0.03, 0.03], [0.03, 0.94, 0.03], [0.03, 0.03, 0.94]]}""", "sticky").masked();
  }

  /**
   * A noisier four-state cycle over six symbols (emissions 0.6 / 0.2, transitions 0.7): no position is
   * nearly certain, so decoders take many steps and a log-linear predictor fits it closely.
   */
  static HmmMaskedLm moderate() {
    return HiddenMarkovModel.fromJson("""
        {"vocab": ["a", "b", "c", "d", "e", "f"], "initial": [0.3, 0.3, 0.3, 0.1],
         "transition": [[0.15, 0.7, 0.05, 0.1], [0.05, 0.15, 0.7, 0.1], [0.7, 0.05, 0.15, 0.1], [0.25, 0.25, 0.25, 0.25]],
         "emission": [[0.6, 0.2, 0.05, 0.05, 0.05, 0.05], [0.05, 0.05, 0.6, 0.2, 0.05, 0.05],
                      [0.05, 0.05, 0.05, 0.05, 0.6, 0.2], [0.2, 0.15, 0.2, 0.15, 0.15, 0.15]]}""", "moderate").masked();
  }

  /** All tokens of x are symbols: none is the mask. */
  static int[] masks(int length, int maskId) {
    int[] x = new int[length];
    java.util.Arrays.fill(x, maskId);
    return x;
  }
}
