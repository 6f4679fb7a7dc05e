package org.fewstep.text.masked;

import org.fewstep.core.Rng;

/**
 * The first-hitting sampler (FHS) of Zheng et al. 2025, "Masked Diffusion Models are Secretly
 * Time-Agnostic Masked Models and Exploit Inaccurate Categorical Sampling" (arXiv 2409.02908). With n
 * masked tokens at time t, each stays masked until s with probability
 * {@code (1 - alpha(s)) / (1 - alpha(t))}, so the first reveal time is drawn by inverse CDF,
 * {@code alpha(tau) = 1 - (1 - alpha(t)) u^(1/n)}, and the position that fires is uniform among the
 * masked ones. Each step reveals exactly one token, drawn from the model's conditional at that
 * position: L forward passes for L tokens, the same law as the continuous-time ancestral sampler
 * ({@link AncestralSampler} as its steps grow). The step only needs the logits of its one position.
 */
final class FirstHittingSampler implements MaskedDecoder {
  private final String spec;
  private final MaskSchedule schedule;
  private final double temperature;

  FirstHittingSampler(String spec, MaskSchedule schedule, double temperature) {
    this.spec = spec;
    this.schedule = schedule;
    this.temperature = temperature;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public MaskedRun start(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
    return new Run(model, x, start, end, rng, row, listener);
  }

  private final class Run extends MaskedRun {
    /** Masked positions; the first {@code left} entries are still masked. */
    private final int[] masked;
    private int left;
    private int next;
    private double time = 1;
    private final Prediction prediction;

    Run(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
      super(model, x, start, end, rng, row, listener);
      masked = new int[end - start];
      for (int i = start; i < end; i++) {
        masked[i - start] = i;
      }
      left = masked.length;
      prediction = new Prediction(vocab);
      drawNext();
    }

    /** Draws the next reveal time and the position that fires. */
    private void drawNext() {
      if (left > 0) {
        double u = rng.nextDouble();
        double unmasked = 1 - (1 - schedule.alpha(time)) * Math.pow(u, 1.0 / left);
        time = schedule.time(unmasked);
        next = rng.nextInt(left);
      }
    }

    @Override
    public int from() {
      return masked[next];
    }

    @Override
    public int to() {
      return masked[next] + 1;
    }

    @Override
    protected void step(double[] logits) {
      int position = masked[next];
      prediction.score(logits, 0, position, temperature, rng);
      commit(position, prediction.token, prediction.confidence);
      masked[next] = masked[--left];
      report(time);
      drawNext();
    }
  }
}
