package org.fewstep.data.train;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.select.Rs2;
import org.fewstep.diffusion.model.Digits;

/**
 * The 10 000 MNIST digits bundled with fewstep-diffusion ({@link Digits}), 784 pixels in [0, 1] and 10 classes,
 * split into train and test sets by a seeded class-stratified draw: the test set is one static RS2 round
 * ({@link Rs2#balanced}), so each class contributes its share of the test set by largest remainders; the rest is
 * the training set. The bundled images are sorted by class, so both sets are then put in a seeded random order
 * (any prefix of the training set is a random sample).
 */
public record DigitsSplit(Dataset train, Dataset test) {
  /** The default test-set size (8 000 train / 2 000 test). */
  public static final int DEFAULT_TEST = 2000;

  /** Pixels per image. */
  public static final int DIM = 784;

  /** Splits off {@code testSize} test digits, stratified by class, drawn with {@code seed}. */
  public static DigitsSplit of(int testSize, long seed) {
    int[] labels = Digits.labels();
    int n = labels.length;
    if (testSize < 1 || testSize >= n) {
      throw BadInputException.of("test size", testSize, "an integer in [1, " + (n - 1) + "]");
    }
    double[] pixels = Digits.pixels();
    Dataset all = new Dataset(pixels, labels, DIM, 10);
    int[] test = Rs2.balanced(n, labels, new Rs2.Settings(testSize / (double) n, Rs2.Mode.STATIC, seed)).round(0);
    Arrays.sort(test);
    boolean[] inTest = new boolean[n];
    for (int i : test) {
      inTest[i] = true;
    }
    int[] train = new int[n - test.length];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!inTest[i]) {
        train[k++] = i;
      }
    }
    Rng rng = Rng.stream(seed, 1);
    rng.shuffle(train);
    rng.shuffle(test);
    return new DigitsSplit(all.subset(train), all.subset(test));
  }


  /** 8 000 train / 2 000 test. */
  public static DigitsSplit standard(long seed) {
    return of(DEFAULT_TEST, seed);
  }
}
