package org.fewstep.diffusion;

import org.fewstep.core.NdArray;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpLinearSchedule;

/**
 * The closed-form test problem of diffusion.md 0.8: data N(mu, diag(s^2)) with mu = (0.5, -1, 0),
 * s = (0.3, 1, 0.05), five fixed start points, exact endpoint by the closed-form flow.
 */
public final class GaussianProblem {
  public static final double[] MU = {0.5, -1.0, 0.0};
  public static final double[] S = {0.3, 1.0, 0.05};
  public static final double[][] X_T = {{-2, -0.5, 0}, {-1, 0.3, 1.5}, {0, 1, -1.2}, {0.7, -1.7, 0.4}, {2.2, 0.9, -0.3}};

  private GaussianProblem() {}

  public static GaussianMixture model(NoiseSchedule schedule, Prediction prediction) {
    return new GaussianMixture(schedule, new double[] {1}, new double[][] {MU}, new double[][] {S}, null, prediction);
  }

  /** The standard problem: VP linear (0.1, 20), t from 1 to 1e-3, noise prediction. */
  public static GaussianMixture standard() {
    return model(VpLinearSchedule.standard(), Prediction.EPS);
  }

  public static NdArray start() {
    return start(1);
  }

  /** The five start points times {@code scale}. */
  public static NdArray start(double scale) {
    double[] data = new double[15];
    for (int r = 0; r < 5; r++) {
      for (int j = 0; j < 3; j++) {
        data[r * 3 + j] = scale * X_T[r][j];
      }
    }
    return NdArray.of(data, 5, 3);
  }

  /** RMSE of {@code out} to the exact flow of {@link #start()} from t = 1 to 1e-3 under {@code model}. */
  public static double rmseToExact(GaussianMixture model, double[] out) {
    NdArray x = start();
    return Vectors.rmsDifference(out, exact(model, x, model.schedule().at(1), model.schedule().at(1e-3)));
  }

  /** The exact endpoint at {@code to} of the start points at {@code from}. */
  public static double[] exact(GaussianMixture model, NdArray start, TimePoint from, TimePoint to) {
    double[] x = start.data().clone();
    model.flow(x, start.items(), from, to);
    return x;
  }
}
