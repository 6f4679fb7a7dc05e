package org.fewstep.data.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** torch.optim.SGD's update (weight decay in the gradient, momentum buffer, Nesterov) on quadratics. */
class SgdTest {

  /** f(p) = p^2 / 2 from p = 1, weight decay 1 (so d = 2p), lr 0.1, momentum 0.5: three steps by hand. */
  @Test
  void threeStepsByHand() {
    double[] nesterov = run(true);
    // d=2, b=2, p=1-0.1*(2+0.5*2)=0.7; d=1.4, b=2.4, p=0.7-0.1*(1.4+1.2)=0.44; d=0.88, b=2.08, p=0.44-0.1*1.92
    assertThat(nesterov).containsExactly(new double[] {0.7, 0.44, 0.248}, within(1e-12));
    double[] heavyBall = run(false);
    // d=2, b=2, p=0.8; d=1.6, b=2.6, p=0.54; d=1.08, b=2.38, p=0.302
    assertThat(heavyBall).containsExactly(new double[] {0.8, 0.54, 0.302}, within(1e-12));
  }

  private static double[] run(boolean nesterov) {
    Sgd sgd = new Sgd(1, new Sgd.Settings(0.5, nesterov, 1.0));
    double[] p = {1};
    double[] out = new double[3];
    for (int t = 0; t < 3; t++) {
      sgd.step(p, new double[] {p[0]}, 0.1);
      out[t] = p[0];
    }
    return out;
  }

  /**
   * Closed form: on f(p) = a (p - c)^2 / 2 with weight decay w and a constant rate, write q = a + w, the optimum
   * p* = a c / q and e_t = p_t - p*. Eliminating the momentum buffer from PyTorch's update gives
   * e_1 = (1 - lr q (1 + mu)) e_0 and e_{t+1} = (1 + mu - lr q (1 + mu)) e_t - mu (1 - lr q) e_{t-1}; the iterates
   * converge to the weight-decayed optimum p*.
   */
  @Test
  void nesterovRecurrenceAndWeightDecayedOptimum() {
    double[] a = {1.0, 4.0, 0.25};
    double[] c = {2.0, -1.0, 3.0};
    double wd = 5e-4;
    double mu = 0.9;
    double lr = 0.05;
    Sgd sgd = new Sgd(3, new Sgd.Settings(mu, true, wd));
    double[] p = {0, 0, 0};
    int steps = 400;
    double[][] trace = new double[steps + 1][];
    trace[0] = p.clone();
    for (int t = 1; t <= steps; t++) {
      double[] g = new double[3];
      for (int i = 0; i < 3; i++) {
        g[i] = a[i] * (p[i] - c[i]);
      }
      sgd.step(p, g, lr);
      trace[t] = p.clone();
    }
    for (int i = 0; i < 3; i++) {
      double q = a[i] + wd;
      double star = a[i] * c[i] / q;
      double e0 = trace[0][i] - star;
      // first step: b = d = q e0, p1 - p* = e0 - lr (q e0 + mu q e0)
      assertThat(trace[1][i] - star).isCloseTo(e0 * (1 - lr * q * (1 + mu)), within(1e-12));
      for (int t = 1; t < 6; t++) {
        double predicted = (1 + mu - lr * q * (1 + mu)) * (trace[t][i] - star)
            - mu * (1 - lr * q) * (trace[t - 1][i] - star);
        assertThat(trace[t + 1][i] - star).as("coordinate %d step %d", i, t + 1).isCloseTo(predicted, within(1e-12));
      }
      assertThat(trace[steps][i]).isCloseTo(star, within(1e-6));
      assertThat(Math.abs(star - c[i])).isGreaterThan(1e-4); // weight decay moved the optimum measurably
    }
  }

  @Test
  void zeroMomentumIsPlainGradientDescentWithDecay() {
    Sgd sgd = new Sgd(2, new Sgd.Settings(0, false, 0.1));
    double[] p = {1, -2};
    sgd.step(p, new double[] {0.5, 1}, 0.2);
    assertThat(p).containsExactly(new double[] {1 - 0.2 * (0.5 + 0.1), -2 - 0.2 * (1 - 0.2)}, within(1e-15));
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> new Sgd.Settings(1.0, true, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("momentum");
    assertThatThrownBy(() -> new Sgd.Settings(0, true, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("Nesterov");
    assertThatThrownBy(() -> new Sgd.Settings(0.9, true, -1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("weight decay");
    Sgd sgd = new Sgd(2, Sgd.Settings.defaults());
    assertThatThrownBy(() -> sgd.step(new double[2], new double[3], 0.1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("length");
    assertThatThrownBy(() -> sgd.step(new double[2], new double[2], Double.NaN)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("learning rate");
  }
}
