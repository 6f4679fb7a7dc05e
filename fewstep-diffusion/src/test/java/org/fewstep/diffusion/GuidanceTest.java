package org.fewstep.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.Test;

/**
 * Classifier-free guidance (diffusion.md 0.6): the guided estimate is
 * {@code u + w (c - u)} of the separately computed unconditional and conditional estimates, made
 * in one batched model call of 2n rows; w = 1 is one call of n conditional rows; conditional
 * sampling of the 2-D mixture ends at the components of the requested class.
 */
class GuidanceTest {
  private static final GaussianMixture MODEL = (GaussianMixture) Diffusion.model("gmm-2d:prediction=eps");

  /** Counts calls and rows. */
  private static final class Counting implements DiffusionModel {
    int calls;
    int rows;

    @Override
    public NoiseSchedule schedule() {
      return MODEL.schedule();
    }

    @Override
    public int[] itemShape() {
      return MODEL.itemShape();
    }

    @Override
    public Prediction prediction() {
      return MODEL.prediction();
    }

    @Override
    public int classes() {
      return MODEL.classes();
    }

    @Override
    public void predict(double[] x, int n, TimePoint at, Conditioning c, double[] out) {
      calls++;
      rows += n;
      MODEL.predict(x, n, at, c, out);
    }
  }

  @Test
  void guidedIsTheLinearCombinationFromOneBatchedCall() {
    Conditioning labels = Conditioning.labels(0, 3, 5);
    double[] x = Diffusion.prior(MODEL, 3, 4).data();
    for (double t : new double[] {0.9, 0.4, 0.05}) {
      TimePoint at = MODEL.schedule().at(t);
      double[] u = new double[6];
      double[] c = new double[6];
      Denoiser.of(MODEL).denoise(x, 3, at, u);
      Denoiser.conditional(MODEL, labels).denoise(x, 3, at, c);
      for (double w : new double[] {0, 1, 2.5, 7.5}) {
        Counting counting = new Counting();
        double[] g = new double[6];
        Denoiser.guided(counting, labels, w).denoise(x, 3, at, g);
        for (int i = 0; i < 6; i++) {
          assertThat(g[i]).isCloseTo(u[i] + w * (c[i] - u[i]), org.assertj.core.api.Assertions.within(1e-12));
        }
        assertThat(counting.calls).isEqualTo(1);
        assertThat(counting.rows).isEqualTo(w == 1 ? 3 : 6);
      }
      assertThat(Vectors.maxAbsDifference(u, c)).as("conditioning matters").isGreaterThan(1e-3);
    }
  }

  @Test
  void conditionalSamplesLandOnTheirClass() {
    int n = 32;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 8;
    }
    NdArray prior = Diffusion.prior(MODEL, n, 5);
    double[] out = Diffusion.sampler("reference").sample(Denoiser.conditional(MODEL, Conditioning.labels(labels)), 1, prior,
        new Rng(0), StepListener.NONE).samples().data();
    double alpha = MODEL.schedule().at(MODEL.schedule().tEnd()).alpha();
    for (int i = 0; i < n; i++) {
      double angle = 2 * Math.PI * labels[i] / 8;
      double dx = out[2 * i] / alpha - 1.5 * Math.cos(angle);
      double dy = out[2 * i + 1] / alpha - 1.5 * Math.sin(angle);
      // component std 0.1: 5 standard deviations
      assertThat(Math.hypot(dx, dy)).as("sample %d of class %d", i, labels[i]).isLessThan(0.5);
    }
  }
}
