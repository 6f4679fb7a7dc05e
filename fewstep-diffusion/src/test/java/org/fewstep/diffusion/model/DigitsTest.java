package org.fewstep.diffusion.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.Test;

/**
 * The embedded digits model is the exact denoiser of its data: at tiny noise it returns the item
 * the point was made from, at huge noise the (class) mean, and the exact ODE ends on a training
 * image.
 */
class DigitsTest {
  @Test
  void bundledDataSet() {
    DatasetModel all = (DatasetModel) Diffusion.model("digits");
    assertThat(all.size()).isEqualTo(10_000);
    assertThat(all.classes()).isEqualTo(10);
    assertThat(all.itemShape()).containsExactly(1, 28, 28);
    double[] first = all.item(0);
    for (double v : first) {
      assertThat(v).isBetween(-1.0, 1.0);
    }
    assertThat(Digits.model(5, Prediction.X0).size()).isEqualTo(50);
  }

  @Test
  void rawPixelsAndLabels() {
    double[] pixels = Digits.pixels();
    int[] labels = Digits.labels();
    assertThat(pixels).hasSize(10_000 * 784);
    assertThat(labels).hasSize(10_000);
    int[] counts = new int[10];
    for (int l : labels) {
      counts[l]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(863, Digits.MAX_PER_CLASS);
    }
    double max = 0;
    for (double v : pixels) {
      assertThat(v).isBetween(0.0, 1.0);
      max = Math.max(max, v);
    }
    assertThat(max).isEqualTo(1.0);
    double[] first = ((DatasetModel) Diffusion.model("digits")).item(0); // the model's [-1, 1] scaling
    for (int j = 0; j < 784; j++) {
      assertThat(first[j]).isCloseTo(2 * pixels[j] - 1, org.assertj.core.api.Assertions.within(1e-6));
    }
  }

  @Test
  void exactDenoiserLimits() {
    DatasetModel model = Digits.model(30, Prediction.X0);
    int d = 784;
    Rng rng = new Rng(1);
    // tiny noise: the posterior is the item itself
    double[] x = new double[2 * d];
    int[] items = {7, 123};
    for (int r = 0; r < 2; r++) {
      double[] item = model.item(items[r]);
      for (int j = 0; j < d; j++) {
        x[r * d + j] = item[j] + 0.01 * rng.nextGaussian();
      }
    }
    TimePoint small = model.schedule().atLambda(-Math.log(0.01));
    double[] out = new double[2 * d];
    Denoiser.of(model).denoise(x, 2, small, out);
    for (int r = 0; r < 2; r++) {
      double[] item = model.item(items[r]);
      for (int j = 0; j < d; j++) {
        assertThat(Math.abs(out[r * d + j] - item[j])).isLessThan(1e-9);
      }
    }
    // huge noise: the data mean, or the class mean when conditioned
    TimePoint huge = model.schedule().atLambda(-Math.log(1e4));
    double[] zero = new double[2 * d];
    Denoiser.conditional(model, Conditioning.labels(Conditioning.NONE, 3)).denoise(zero, 2, huge, out);
    double[] mean = new double[d];
    double[] classMean = new double[d];
    int inClass = 0;
    for (int k = 0; k < model.size(); k++) {
      double[] item = model.item(k);
      boolean three = k / 30 == 3; // items are ordered by class, 30 each
      for (int j = 0; j < d; j++) {
        mean[j] += item[j] / model.size();
        if (three) {
          classMean[j] += item[j];
        }
      }
      inClass += three ? 1 : 0;
    }
    for (int j = 0; j < d; j++) {
      assertThat(out[j]).isCloseTo(mean[j], org.assertj.core.api.Assertions.within(1e-4));
      assertThat(out[d + j]).isCloseTo(classMean[j] / inClass, org.assertj.core.api.Assertions.within(1e-4));
    }
  }

  @Test
  void exactFlowEndsOnATrainingImage() {
    DatasetModel model = Digits.model(20, Prediction.EPS);
    NdArray prior = Diffusion.prior(model, 3, 9);
    double[] out = Diffusion.sampler("reference:rtol=1e-8,atol=1e-8").sample(Denoiser.of(model), 1, prior, new Rng(0),
        StepListener.NONE).samples().data();
    double alpha = model.schedule().at(model.schedule().tEnd()).alpha();
    for (int r = 0; r < 3; r++) {
      double best = Double.MAX_VALUE;
      double second = Double.MAX_VALUE;
      for (int k = 0; k < model.size(); k++) {
        double[] item = model.item(k);
        double sum = 0;
        for (int j = 0; j < 784; j++) {
          double diff = out[r * 784 + j] / alpha - item[j];
          sum += diff * diff;
        }
        double rms = Math.sqrt(sum / 784);
        if (rms < best) {
          second = best;
          best = rms;
        } else if (rms < second) {
          second = rms;
        }
      }
      // x ends at item + sigma/alpha * (noise direction): sigma/alpha at t = 1e-3 is ~0.0105
      assertThat(best).as("row %d", r).isLessThan(0.03);
      assertThat(second).as("row %d", r).isGreaterThan(0.2);
    }
  }
}
