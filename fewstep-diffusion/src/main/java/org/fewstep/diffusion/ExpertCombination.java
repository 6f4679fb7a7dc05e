package org.fewstep.diffusion;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/** {@link Denoiser#combination}: separate expert denoisers, each called once per evaluation. */
final class ExpertCombination implements CombinedDenoiser {
  private final double[] coefficients;
  private final Denoiser[] experts;
  private double[][] scratch = new double[0][];

  ExpertCombination(double[] coefficients, Denoiser... experts) {
    if (experts.length == 0 || coefficients.length != experts.length) {
      throw new BadInputException("a combination of denoisers needs one coefficient per expert and at least one expert: got "
          + coefficients.length + " coefficients and " + experts.length + " experts");
    }
    for (int k = 0; k < coefficients.length; k++) {
      BadInputException.requireFinite("coefficient " + k + " of the combination", coefficients[k]);
      if (!experts[k].schedule().spec().equals(experts[0].schedule().spec())
          || !Arrays.equals(experts[k].itemShape(), experts[0].itemShape())) {
        throw BadInputException.of("expert " + k + " of the combination", experts[k].schedule().spec() + " "
            + Arrays.toString(experts[k].itemShape()), "the schedule and item shape of expert 0 ("
            + experts[0].schedule().spec() + " " + Arrays.toString(experts[0].itemShape()) + ")");
      }
    }
    this.coefficients = coefficients.clone();
    this.experts = experts.clone();
  }

  @Override
  public NoiseSchedule schedule() {
    return experts[0].schedule();
  }

  @Override
  public int[] itemShape() {
    return experts[0].itemShape();
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  @Override
  public void denoiseExperts(double[] x, int n, TimePoint at, double[][] outs) {
    for (int k = 0; k < experts.length; k++) {
      experts[k].denoise(x, n, at, outs[k]);
    }
  }

  @Override
  public void denoise(double[] x, int n, TimePoint at, double[] out) {
    int len = n * itemSize();
    if (scratch.length != experts.length || scratch[0].length != len) {
      scratch = new double[experts.length][len];
    }
    denoiseExperts(x, n, at, scratch);
    combine(x, scratch, out);
  }
}
