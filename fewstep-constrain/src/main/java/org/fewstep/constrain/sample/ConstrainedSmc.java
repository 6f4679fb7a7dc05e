package org.fewstep.constrain.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Resampling;
import org.fewstep.core.math.Softmax;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;

/**
 * Sequential Monte Carlo over a language model restricted to a constraint's language, with
 * {@link Awrs} token proposals (Lipkin, LeBrun et al. 2025, decoding.md 7(b) "Use inside SMC"; the
 * sequence sampler of genlm-control). Target: Q(w) = P(w) 1[w in L] / Z. Each live particle draws
 * (x, w) from AWRS over the model's next-token probabilities (Z_phi = 1) and multiplies its weight by
 * w, which has expectation P(allowed | prefix) given x; a particle whose AWRS finds no token gets
 * weight 0; one that draws the end token stops. When the effective sample size
 * (sum w)^2 / sum w^2 falls below {@code essThreshold * N} all particles are resampled
 * (multinomial or systematic) and each gets the mean weight, so that the mean final weight is an
 * unbiased estimate of Z = P(L) and the normalised weights estimate Q.
 *
 * <p>Particles still unfinished after {@code maxTokens} generated tokens get weight 0: the estimates
 * are then of the language cut to strings of at most that many tokens (end token included). All
 * particles at weight 0 is a {@link BadInputException}. Draws come from the given {@link Rng} in a
 * fixed order (particle by particle, step by step): the same seed gives the same result.
 */
public final class ConstrainedSmc {
  /**
   * A final particle.
   *
   * @param tokens    the generated tokens (the end token last when finished)
   * @param logWeight natural log of its weight ({@code -Infinity} for a dead particle)
   * @param finished  whether it drew the end token
   */
  public record Particle(int[] tokens, double logWeight, boolean finished) {
    public Particle {
      tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
      return tokens.clone();
    }
  }

  /**
   * The weighted particles of a run.
   *
   * @param particles   the N particles
   * @param logZ        log of the estimate of Z = P(L), the mean weight (unbiased for Z itself)
   * @param resamples   how many times the particles were resampled
   * @param evaluations constraint tests made by all AWRS draws
   */
  public record Result(List<Particle> particles, double logZ, int resamples, long evaluations) {
    public Result {
      particles = List.copyOf(particles);
    }

    /** The estimate of Z = P(L). */
    public double z() {
      return Math.exp(logZ);
    }

    /** The normalised weights, one per particle (an estimate of Q as a weighted sample). */
    public double[] normalizedWeights() {
      double[] lw = particles.stream().mapToDouble(Particle::logWeight).toArray();
      double logTotal = Softmax.logSumExp("particle log weights", lw, lw.length, new double[lw.length]);
      return Arrays.stream(lw).map(v -> Math.exp(v - logTotal)).toArray();
    }

    /** The estimate of Q(event): the normalised weight of the particles whose tokens satisfy it. */
    public double probability(Predicate<int[]> event) {
      double[] w = normalizedWeights();
      double sum = 0;
      for (int i = 0; i < w.length; i++) {
        sum += event.test(particles.get(i).tokens) ? w[i] : 0.0;
      }
      return sum;
    }
  }

  private final LanguageModel model;
  private final TokenConstraint constraint;
  private int particles = 32;
  private double essThreshold = 0.5;
  private Resampling resampling = Resampling.SYSTEMATIC;
  private int maxTokens = 256;
  private Awrs.Estimator estimator = Awrs.Estimator.AUTO;

  public ConstrainedSmc(LanguageModel model, TokenConstraint constraint) {
    constraint.requireVocabularyOf(model);
    this.model = model;
    this.constraint = constraint;
  }

  /** Number of particles N (default 32). */
  public ConstrainedSmc particles(int n) {
    this.particles = BadInputException.requireAtLeast("particles", n, 1);
    return this;
  }

  /** Resample when ESS / N falls below this, in [0, 1] (default 0.5; 0 never resamples, 1 always). */
  public ConstrainedSmc essThreshold(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw BadInputException.of("ess threshold", threshold, "a fraction in [0, 1]");
    }
    this.essThreshold = threshold;
    return this;
  }

  /** The resampling scheme (default systematic). */
  public ConstrainedSmc resampling(Resampling scheme) {
    this.resampling = scheme;
    return this;
  }

  /** Most generated tokens per particle, end token included (default 256). */
  public ConstrainedSmc maxTokens(int n) {
    this.maxTokens = BadInputException.requireAtLeast("max tokens", n, 1);
    return this;
  }

  /** How AWRS estimates the incremental weights (default AUTO, the official library's choice; not NONE). */
  public ConstrainedSmc estimator(Awrs.Estimator e) {
    if (e == null || e == Awrs.Estimator.NONE) {
      throw BadInputException.of("estimator", e, "an estimator of the weight: AUTO, PAPER, RECURSIVE or GEOMETRIC");
    }
    this.estimator = e;
    return this;
  }

  /** A run from the empty prompt. */
  public Result run(Rng rng) {
    return run(new int[0], rng);
  }

  /** A run after {@code prompt} (model token ids, not constrained). */
  public Result run(int[] prompt, Rng rng) {
    int size = model.vocabulary().size();
    LmState root = model.start();
    double[] first = root.prefill(prompt, null);
    Walker[] walkers = new Walker[particles];
    for (int i = 0; i < particles; i++) {
      walkers[i] = new Walker(i == 0 ? root : root.fork(), constraint.start(), new int[0], first.clone(), 0.0);
    }
    Awrs awrs = new Awrs(estimator, 2, Integer.MAX_VALUE);
    double[] logProbs = new double[size];
    double[] work = new double[size];
    long evaluations = 0;
    int resamples = 0;
    int eos = model.vocabulary().eos();
    try {
      for (int step = 0; step < maxTokens; step++) {
        boolean moved = false;
        for (Walker p : walkers) {
          if (p.finished || p.logWeight == Double.NEGATIVE_INFINITY) {
            continue;
          }
          moved = true;
          double logNorm = Softmax.logSumExp("logits", p.logits, size, work);
          for (int t = 0; t < size; t++) {
            logProbs[t] = p.logits[t] - logNorm;
          }
          Awrs.Draw d = awrs.sample(logProbs, p.state, rng);
          evaluations += d.evaluations();
          p.logWeight += d.logWeight();
          if (!d.accepted()) {
            continue;
          }
          p.state = p.state.advance(d.token());
          p.tokens = Arrays.copyOf(p.tokens, p.tokens.length + 1);
          p.tokens[p.tokens.length - 1] = d.token();
          if (d.token() == eos) {
            p.finished = true;
          } else {
            p.logits = p.lm.append(d.token())[1];
          }
        }
        if (!moved) {
          break;
        }
        double[] lw = logWeights(walkers);
        requireAlive(lw, step + 1);
        if (essThreshold > 0 && Resampling.ess(lw) < essThreshold * particles) {
          walkers = resample(walkers, lw, rng);
          resamples++;
        }
      }
      for (Walker p : walkers) {
        if (!p.finished) {
          p.logWeight = Double.NEGATIVE_INFINITY; // cut at maxTokens: not a string of the language
        }
      }
      double[] lw = logWeights(walkers);
      requireAlive(lw, maxTokens);
      double logZ = Softmax.logSumExp("particle log weights", lw, lw.length, new double[lw.length]) - Math.log(particles);
      List<Particle> out = new ArrayList<>();
      for (Walker p : walkers) {
        out.add(new Particle(p.tokens, p.logWeight, p.finished));
      }
      return new Result(out, logZ, resamples, evaluations);
    } finally {
      for (Walker p : walkers) {
        p.lm.close();
      }
    }
  }

  private static double[] logWeights(Walker[] walkers) {
    return Arrays.stream(walkers).mapToDouble(p -> p.logWeight).toArray();
  }

  private void requireAlive(double[] lw, int step) {
    for (double v : lw) {
      if (v > Double.NEGATIVE_INFINITY) {
        return;
      }
    }
    throw BadInputException.of("particles alive after " + step + " tokens", 0,
        "at least one of " + particles + " particles in the language of " + constraint.describe()
            + " (every particle hit a dead end or ran past max tokens " + maxTokens + ")");
  }

  /** New particles drawn by weight, each with the mean weight; dropped states are closed. */
  private Walker[] resample(Walker[] walkers, double[] lw, Rng rng) {
    int n = walkers.length;
    double logMean = Softmax.logSumExp("particle log weights", lw, n, new double[n]) - Math.log(n);
    int[] ancestors = resampling.ancestors(lw, rng);
    Walker[] out = new Walker[n];
    boolean[] reused = new boolean[n];
    for (int i = 0; i < n; i++) {
      Walker a = walkers[ancestors[i]];
      LmState lm;
      if (!reused[ancestors[i]]) {
        reused[ancestors[i]] = true;
        lm = a.lm;
      } else {
        lm = a.lm.fork();
      }
      out[i] = new Walker(lm, a.state, a.tokens, a.logits, logMean);
      out[i].finished = a.finished;
    }
    for (int i = 0; i < n; i++) {
      if (!reused[i]) {
        walkers[i].lm.close();
      }
    }
    return out;
  }


  /** One particle in progress (mutable; its tokens array is replaced, never written in place). */
  private static final class Walker {
    LmState lm;
    ConstraintState state;
    int[] tokens;
    double[] logits;
    double logWeight;
    boolean finished;

    Walker(LmState lm, ConstraintState state, int[] tokens, double[] logits, double logWeight) {
      this.lm = lm;
      this.state = state;
      this.tokens = tokens;
      this.logits = logits;
      this.logWeight = logWeight;
    }
  }
}
