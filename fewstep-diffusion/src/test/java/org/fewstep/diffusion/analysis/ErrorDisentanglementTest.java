package org.fewstep.diffusion.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.model.PerturbedDenoiser;
import org.junit.jupiter.api.Test;

/** The dual-error disentanglement on gmm-2d with exactly known truth. */
class ErrorDisentanglementTest {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-2d");
  private static final NdArray START = Diffusion.prior(MODEL, 32, 0);

  private static Denoiser perturbed(double size) {
    return new PerturbedDenoiser(Denoiser.of(MODEL), PerturbedDenoiser.Kind.BIAS, size, 1, 7);
  }

  @Test
  void anExactModelHasNoApproximationError() {
    ErrorDisentanglement e = new ErrorDisentanglement(Denoiser.of(MODEL), Denoiser.of(MODEL));
    for (ErrorDisentanglement.Row r : e.endToEnd(Diffusion.sampler("dpmpp"), new int[] {5, 10}, START)) {
      assertThat(r.approximation()).isLessThan(1e-12);
      assertThat(r.both()).isEqualTo(r.discretisation());
      assertThat(r.discretisation()).isGreaterThan(1e-3);
    }
  }

  @Test
  void theApproximationErrorScalesWithTheModelError() {
    // small errors: first order in the error size (larger ones move points between modes)
    double small = new ErrorDisentanglement(Denoiser.of(MODEL), perturbed(0.0005))
        .endToEnd(Diffusion.sampler("ddim"), new int[] {10}, START).get(0).approximation();
    double large = new ErrorDisentanglement(Denoiser.of(MODEL), perturbed(0.001))
        .endToEnd(Diffusion.sampler("ddim"), new int[] {10}, START).get(0).approximation();
    assertThat(small).isGreaterThan(1e-5);
    assertThat(large / small).isCloseTo(2.0, within(0.1));
  }

  @Test
  void theDiscretisationErrorFallsAtTheSolversOrder() {
    ErrorDisentanglement e = new ErrorDisentanglement(Denoiser.of(MODEL), perturbed(0.01));
    List<ErrorDisentanglement.Row> ddim = e.endToEnd(Diffusion.sampler("ddim:skip=logsnr"), new int[] {80, 160}, START);
    assertThat(ddim.get(0).discretisation() / ddim.get(1).discretisation()).as("first order").isCloseTo(2.0, within(0.3));
    List<ErrorDisentanglement.Row> dpmpp = e.endToEnd(Diffusion.sampler("dpmpp"), new int[] {80, 160}, START);
    assertThat(dpmpp.get(0).discretisation() / dpmpp.get(1).discretisation()).as("second order").isCloseTo(4.0, within(0.8));
    // with enough steps only the approximation error is left
    assertThat(dpmpp.get(1).both()).isCloseTo(dpmpp.get(1).approximation(), within(0.1 * dpmpp.get(1).approximation()));
  }

  @Test
  void perStepDiscretisationErrorIsLocalSecondOrder() {
    // DDIM's one-step (local) error is O(h^2) in log-SNR: on uniform log-SNR grids, interval k of an
    // N-step grid and interval 2k-1 of a 2N-step grid start at the same exact state, with half the step
    ErrorDisentanglement exact = new ErrorDisentanglement(Denoiser.of(MODEL), Denoiser.of(MODEL));
    List<ErrorDisentanglement.Row> coarse = exact.perStep(Diffusion.sampler("ddim:skip=logsnr"), 40, START);
    List<ErrorDisentanglement.Row> fine = exact.perStep(Diffusion.sampler("ddim:skip=logsnr"), 80, START);
    for (int k : new int[] {10, 20, 30}) {
      ErrorDisentanglement.Row c = coarse.get(k - 1);
      ErrorDisentanglement.Row f = fine.get(2 * k - 2);
      assertThat(f.tFrom()).isEqualTo(c.tFrom());
      assertThat(c.approximation()).isLessThan(1e-9);
      assertThat(c.both()).isEqualTo(c.discretisation());
      assertThat(c.discretisation() / f.discretisation()).as("interval %d", k).isCloseTo(4.0, within(1.0));
    }
  }

  @Test
  void perStepRowsCoverTheGrid() {
    ErrorDisentanglement e = new ErrorDisentanglement(Denoiser.of(MODEL), perturbed(0.02));
    List<ErrorDisentanglement.Row> rows = e.perStep(Diffusion.sampler("ddim"), 6, START);
    assertThat(rows).hasSize(6);
    for (int i = 0; i < rows.size(); i++) {
      ErrorDisentanglement.Row r = rows.get(i);
      assertThat(r.step()).isEqualTo(i + 1);
      assertThat(r.tTo()).isLessThan(r.tFrom());
      assertThat(r.approximation()).isGreaterThan(0);
      assertThat(r.discretisation()).isGreaterThan(0);
    }
    assertThatThrownBy(() -> e.perStep(Diffusion.sampler("unipc"), 6, START)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("one-step");
  }
}
