package org.fewstep.data.train;

import org.fewstep.core.BadInputException;

/**
 * Stochastic gradient descent with momentum as PyTorch's {@code torch.optim.SGD} (dampening 0), with RS2's
 * defaults (Okanovic et al., ICLR 2024; reference {@code utils.py::get_configuration}: momentum 0.9, Nesterov,
 * weight decay 5e-4). Per step with gradient {@code g} and learning rate {@code lr}:
 * <pre>
 *   d = g + weightDecay * p                (L2 added to the gradient, every parameter, biases included)
 *   b = d on the first step, else momentum * b + d
 *   p = p - lr * (d + momentum * b)        (Nesterov; p - lr * b without it)
 * </pre>
 * Holds the momentum buffer: one instance per parameter vector.
 */
public final class Sgd {

  /** Momentum, Nesterov on/off, weight decay. */
  public record Settings(double momentum, boolean nesterov, double weightDecay) {
    public Settings {
      if (!(momentum >= 0 && momentum < 1)) {
        throw BadInputException.of("momentum", momentum, "a number in [0, 1)");
      }
      if (nesterov && momentum == 0) {
        throw BadInputException.of("momentum", momentum, "a positive momentum with Nesterov (as PyTorch)");
      }
      if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
        throw BadInputException.of("weight decay", weightDecay, "a finite number >= 0");
      }
    }

    /** RS2's settings: momentum 0.9, Nesterov, weight decay 5e-4. */
    public static Settings defaults() {
      return new Settings(0.9, true, 5e-4);
    }
  }

  private final Settings settings;
  private final double[] buffer;
  private boolean started;

  public Sgd(int parameters, Settings settings) {
    BadInputException.requireAtLeast("parameters", parameters, 1);
    this.settings = settings;
    this.buffer = new double[parameters];
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** One update of {@code params} in place from {@code gradient} (left unchanged). */
  public void step(double[] params, double[] gradient, double lr) {
    if (params.length != buffer.length || gradient.length != buffer.length) {
      throw BadInputException.of("parameter/gradient length", params.length + "/" + gradient.length,
          buffer.length + " (the optimiser's size)");
    }
    if (!(lr >= 0 && Double.isFinite(lr))) {
      throw BadInputException.of("learning rate", lr, "a finite number >= 0");
    }
    double mu = settings.momentum();
    double wd = settings.weightDecay();
    boolean nesterov = settings.nesterov();
    boolean first = !started;
    started = true;
    for (int p = 0; p < params.length; p++) {
      double d = gradient[p] + wd * params[p];
      if (mu != 0) {
        double b = first ? d : mu * buffer[p] + d;
        buffer[p] = b;
        d = nesterov ? d + mu * b : b;
      }
      params[p] -= lr * d;
    }
  }
}
