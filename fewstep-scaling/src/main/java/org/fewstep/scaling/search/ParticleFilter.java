package org.fewstep.scaling.search;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.core.math.Resampling;
import org.fewstep.scaling.Cost;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * Particle filtering for inference-time scaling (Puri, Sudalairaj, Xu, Xu and Srivastava, "Rollout
 * Roulette", 2025, Algorithms 1-2; decoding.md 11): a reasoning trace is a state-space model whose
 * transitions are the generator's steps and whose likelihood is a process reward model. N particles
 * each take a step and are scored; then, until every particle has finished, they are resampled in
 * proportion to their weights and every unfinished one takes another step. The official code
 * ({@code particle_gibbs_kernel}) weighs a particle by {@code softmax(logit(r) / T)} of its
 * aggregated reward {@code r}, keeps finished particles in the pool ({@code resample_inactive}) and
 * answers with the particle of the highest reward.
 *
 * <p>{@link Weights#RATIO} is the Bayes-correct alternative of a twisted SMC: the incremental
 * weight {@code r_t / r_(t-1)}, under which, with the exact PRM, the weighted particles target the
 * law of successful traces. {@link #gibbs} adds the particle Gibbs iterations with reference
 * particles and {@link #tempering} parallel tempering over softmax temperatures.
 */
public final class ParticleFilter {
  /** How a particle's weight follows from its rewards. */
  public enum Weights {
    /** The paper's: {@code softmax(logit(aggregate) / T)}, every round afresh. */
    PAPER,
    /** The incremental {@code r_t / r_(t-1)} of the last step (1 for a finished particle). */
    RATIO
  }

  /** How the step rewards of a particle combine into the one its weight uses (paper, section 3.3). */
  public enum Aggregation {
    /** The last step's reward: the PRM reads the whole partial trace ("model aggregation", the code's). */
    LAST,
    /** The product of the step rewards. */
    PRODUCT,
    /** The smallest step reward. */
    MIN
  }

  /** How the answer is chosen among the final particles. */
  public enum Selection {
    /** The particle with the highest aggregated reward (the paper's evaluation). */
    ARGMAX,
    /** A particle drawn in proportion to its weight (its_hub's SAMPLE). */
    SAMPLE
  }

  /**
   * The filter's settings.
   *
   * @param particles          N, at least 1
   * @param softmaxTemperature T of the paper's weights (official 1)
   * @param weights            PAPER (default) or RATIO
   * @param aggregation        LAST (default), PRODUCT or MIN
   * @param resampling         MULTINOMIAL (the official) or SYSTEMATIC / STRATIFIED
   * @param resampleFinished   whether finished particles stay in the pool (official true)
   * @param selection          ARGMAX (default) or SAMPLE
   * @param temperature        the generator's temperature (official 0.8 for its LLM)
   */
  public record Settings(int particles, double softmaxTemperature, Weights weights, Aggregation aggregation,
      Resampling resampling, boolean resampleFinished, Selection selection, double temperature) {
    public static final Settings DEFAULT = new Settings(4, 1, Weights.PAPER, Aggregation.LAST, Resampling.MULTINOMIAL, true,
        Selection.ARGMAX, 1);

    public Settings {
      BadInputException.requireAtLeast("particle filter: particles", particles, 1);
      if (!(softmaxTemperature > 0 && Double.isFinite(softmaxTemperature))) {
        throw BadInputException.of("particle filter: softmax temperature", softmaxTemperature, "a finite number > 0");
      }
      if (!(temperature > 0 && Double.isFinite(temperature))) {
        throw BadInputException.of("particle filter: generator temperature", temperature, "a finite number > 0");
      }
    }

    public Settings withParticles(int n) {
      return new Settings(n, softmaxTemperature, weights, aggregation, resampling, resampleFinished, selection, temperature);
    }

    public Settings withSoftmaxTemperature(double t) {
      return new Settings(particles, t, weights, aggregation, resampling, resampleFinished, selection, temperature);
    }
  }

  /** Rewards are clipped to [EPS, 1 - EPS] before the logit. */
  static final double EPS = 1e-6;
  /** A guard against tasks that never finish. */
  private static final int MAX_STEPS = 10_000;

  private final Settings settings;

  public ParticleFilter(Settings settings) {
    this.settings = settings;
  }

  /** One particle: its path (the trace after each step) and the reward after each step. */
  static final class Particle {
    final List<Trace> path;
    final List<Double> rewards;
    /** The incremental log weight of the last round (RATIO). */
    double logIncrement;

    Particle(List<Trace> path, List<Double> rewards) {
      this.path = path;
      this.rewards = rewards;
    }

    Trace trace() {
      return path.get(path.size() - 1);
    }

    double reward() {
      return rewards.get(rewards.size() - 1);
    }

    Particle copy() {
      Particle p = new Particle(new ArrayList<>(path), new ArrayList<>(rewards));
      p.logIncrement = logIncrement;
      return p;
    }

    /** This particle as it was after {@code steps} steps (a reference particle in conditional SMC). */
    Particle at(int steps) {
      int n = Math.min(steps, path.size());
      return new Particle(new ArrayList<>(path.subList(0, n)), new ArrayList<>(rewards.subList(0, n)));
    }
  }

  /** The particle filter on {@code task}: the answer and its cost. */
  public Solution run(Task task, Prm prm, Rng rng) {
    Run r = filter(task, prm, List.of(), settings.softmaxTemperature(), rng);
    return new Solution(choose(r.pool, settings.softmaxTemperature(), rng).trace(), r.cost);
  }

  /** A final particle and its log weight (unnormalised), as the filter would resample it. */
  public record Weighted(Trace trace, double logWeight) {}

  /**
   * The filter's final particles with their log weights: with {@link Weights#RATIO} and the exact
   * PRM, the weighted particles estimate the law of successful traces.
   */
  public List<Weighted> particles(Task task, Prm prm, Rng rng) {
    Run r = filter(task, prm, List.of(), settings.softmaxTemperature(), rng);
    double[] lw = logWeights(r.pool, settings.softmaxTemperature());
    List<Weighted> out = new ArrayList<>(lw.length);
    for (int k = 0; k < lw.length; k++) {
      out.add(new Weighted(r.pool.get(k).trace(), lw[k]));
    }
    return out;
  }

  /**
   * The paper's resampling probabilities {@code softmax(logit(r) / T)} of rewards {@code r}
   * (decoding.md 16, vector I: r = (0.9, 0.5, 0.1) gives odds 9 : 1 : 1/9 at T = 1).
   */
  public static double[] paperWeights(double[] rewards, double softmaxTemperature) {
    double[] lw = new double[rewards.length];
    for (int k = 0; k < lw.length; k++) {
      lw[k] = logit(rewards[k]) / softmaxTemperature;
    }
    double[] p = new double[lw.length];
    new Categorical().setLogits("paper weights", lw, lw.length).probabilities(p);
    return p;
  }

  /**
   * Particle Gibbs (paper, Algorithm 2): {@code iterations} runs of the filter, each after the first
   * with {@code references} of its N particles being reference trajectories from the previous
   * iteration, which take part in every resampling with their reward at that step (their copies
   * continue freely from there) and always survive. After each iteration the references are drawn
   * anew from the final particles, in proportion to {@code softmax(logit(r))}. The answer is chosen
   * among the last iteration's particles. Budget: N times the iterations.
   */
  public Solution gibbs(Task task, Prm prm, int iterations, int references, Rng rng) {
    BadInputException.requireAtLeast("particle Gibbs: iterations", iterations, 1);
    if (references < 1 || references >= settings.particles() && iterations > 1) {
      throw BadInputException.of("particle Gibbs: reference particles", references,
          "at least 1 and fewer than the " + settings.particles() + " particles");
    }
    Chain chain = new Chain(settings.softmaxTemperature());
    for (int i = 0; i < iterations; i++) {
      chain.iterate(task, prm, references, rng);
    }
    return new Solution(choose(chain.pool, settings.softmaxTemperature(), rng).trace(), chain.cost);
  }

  /**
   * Parallel tempering over particle Gibbs: one chain per softmax temperature in
   * {@code temperatures}, each iterating as {@link #gibbs}; after each iteration, neighbouring chains
   * i, j propose to swap their (first) reference trajectories, accepted with probability
   * {@code min(1, exp((l_j - l_i)(1/T_i - 1/T_j)))} where {@code l} is the logit of a reference's final
   * reward (the standard replica-exchange rule; the paper's exact variant is not confirmed). The
   * answer is the best final particle over all chains. Budget: N times the iterations times chains.
   */
  public Solution tempering(Task task, Prm prm, int iterations, int references, double[] temperatures, Rng rng) {
    BadInputException.requireAtLeast("parallel tempering: iterations", iterations, 1);
    BadInputException.requireAtLeast("parallel tempering: chains", temperatures.length, 1);
    if (references < 1 || references >= settings.particles() && iterations > 1) {
      throw BadInputException.of("parallel tempering: reference particles", references,
          "at least 1 and fewer than the " + settings.particles() + " particles");
    }
    Chain[] chains = new Chain[temperatures.length];
    for (int c = 0; c < chains.length; c++) {
      if (!(temperatures[c] > 0 && Double.isFinite(temperatures[c]))) {
        throw BadInputException.of("parallel tempering: temperature " + c, temperatures[c], "a finite number > 0");
      }
      chains[c] = new Chain(temperatures[c]);
    }
    for (int i = 0; i < iterations; i++) {
      for (Chain chain : chains) {
        chain.iterate(task, prm, references, rng);
      }
      for (int c = 0; c + 1 < chains.length; c++) {
        Chain a = chains[c];
        Chain b = chains[c + 1];
        double la = logit(a.references.get(0).reward());
        double lb = logit(b.references.get(0).reward());
        double log = (lb - la) * (1 / a.temperature - 1 / b.temperature);
        if (log >= 0 || rng.nextDouble() < Math.exp(log)) {
          Particle t = a.references.get(0);
          a.references.set(0, b.references.get(0));
          b.references.set(0, t);
        }
      }
    }
    List<Particle> all = new ArrayList<>();
    Cost cost = Cost.NONE;
    for (Chain chain : chains) {
      all.addAll(chain.pool);
      cost = cost.plus(chain.cost);
    }
    Particle best = all.get(0);
    for (Particle p : all) {
      if (aggregate(p) > aggregate(best)) {
        best = p;
      }
    }
    return new Solution(best.trace(), cost);
  }

  /** One particle Gibbs chain: its references and last pool. */
  private final class Chain {
    final double temperature;
    List<Particle> references = new ArrayList<>();
    List<Particle> pool;
    Cost cost = Cost.NONE;

    Chain(double temperature) {
      this.temperature = temperature;
    }

    void iterate(Task task, Prm prm, int count, Rng rng) {
      Run r = filter(task, prm, references, temperature, rng);
      pool = r.pool;
      cost = cost.plus(r.cost);
      double[] lw = new double[pool.size()];
      for (int k = 0; k < lw.length; k++) {
        lw[k] = logit(pool.get(k).reward());
      }
      Categorical c = new Categorical().setLogits("reference log weights", lw, lw.length);
      references = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        references.add(pool.get(c.sample(rng)).copy());
      }
    }
  }

  /** A finished filter run: the final particles and the cost. */
  private record Run(List<Particle> pool, Cost cost) {}

  /**
   * The filter with the given reference trajectories (none for plain filtering): N - R free
   * particles, resampled from all N each round, and the R references replayed step by step.
   */
  private Run filter(Task task, Prm prm, List<Particle> references, double softmaxTemperature, Rng rng) {
    int n = settings.particles();
    int free = n - references.size();
    long steps = 0;
    long tokens = 0;
    long calls = 0;
    double startReward = prm.score(task.start());
    calls++;
    List<Particle> particles = new ArrayList<>(n);
    for (int k = 0; k < free; k++) {
      List<Trace> path = new ArrayList<>();
      path.add(task.start());
      List<Double> rewards = new ArrayList<>();
      rewards.add(startReward);
      particles.add(new Particle(path, rewards));
    }
    int round = 0;
    while (true) {
      // advance every unfinished free particle by one step, and the references to the same depth
      boolean stepped = false;
      for (Particle p : particles) {
        Trace t = p.trace();
        if (t.finished()) {
          p.logIncrement = 0;
          continue;
        }
        Trace next = task.step(t, settings.temperature(), rng);
        double r = prm.score(next);
        calls++;
        steps++;
        tokens += next.tokens() - t.tokens();
        p.logIncrement = Math.log(r) - Math.log(p.reward());
        p.path.add(next);
        p.rewards.add(r);
        stepped = true;
      }
      round++;
      if (round > MAX_STEPS) {
        throw new BadInputException("particle filter: task " + task.name() + " did not finish within " + MAX_STEPS + " steps");
      }
      List<Particle> pool = new ArrayList<>(particles);
      boolean referencesActive = false;
      for (Particle ref : references) {
        Particle at = ref.at(round + 1);
        at.logIncrement = at.path.size() == round + 1
            ? Math.log(at.reward()) - Math.log(at.rewards.get(at.rewards.size() - 2)) : 0;
        pool.add(at);
        referencesActive |= !at.trace().finished();
      }
      boolean active = referencesActive;
      for (Particle p : particles) {
        active |= !p.trace().finished();
      }
      if (!active || (!stepped && !referencesActive)) {
        return new Run(pool, new Cost(free, steps, tokens, calls));
      }
      // resample the free particles from the whole pool (finished ones too, unless so set)
      double[] lw = logWeights(pool, softmaxTemperature);
      List<Particle> next = new ArrayList<>(free);
      if (settings.resampleFinished()) {
        for (int a : settings.resampling().ancestors(uniformIfDead(lw), free, rng.split())) {
          next.add(pool.get(a).copy());
        }
      } else {
        // finished free particles keep their place; the others are drawn from the unfinished ones
        List<Particle> open = new ArrayList<>();
        List<Double> openLw = new ArrayList<>();
        for (int k = 0; k < pool.size(); k++) {
          if (!pool.get(k).trace().finished()) {
            open.add(pool.get(k));
            openLw.add(lw[k]);
          }
        }
        for (Particle p : particles) {
          if (p.trace().finished()) {
            next.add(p);
          }
        }
        double[] w = openLw.stream().mapToDouble(Double::doubleValue).toArray();
        for (int a : settings.resampling().ancestors(uniformIfDead(w), free - next.size(), rng.split())) {
          next.add(open.get(a).copy());
        }
      }
      particles = next;
    }
  }

  /** The log weights of the pool for resampling. */
  private double[] logWeights(List<Particle> pool, double softmaxTemperature) {
    double[] lw = new double[pool.size()];
    for (int k = 0; k < lw.length; k++) {
      Particle p = pool.get(k);
      lw[k] = settings.weights() == Weights.PAPER ? logit(aggregate(p)) / softmaxTemperature : p.logIncrement;
    }
    return lw;
  }

  private double aggregate(Particle p) {
    return switch (settings.aggregation()) {
      case LAST -> p.reward();
      case PRODUCT -> {
        double v = 1;
        for (int i = 1; i < p.rewards.size(); i++) {
          v *= p.rewards.get(i);
        }
        yield v;
      }
      case MIN -> {
        double v = 1;
        for (int i = 1; i < p.rewards.size(); i++) {
          v = Math.min(v, p.rewards.get(i));
        }
        yield v;
      }
    };
  }

  private Particle choose(List<Particle> pool, double softmaxTemperature, Rng rng) {
    if (settings.selection() == Selection.SAMPLE) {
      double[] lw = logWeights(pool, softmaxTemperature);
      return pool.get(new Categorical().setLogits("final log weights", uniformIfDead(lw), lw.length).sample(rng));
    }
    Particle best = pool.get(0);
    for (Particle p : pool) {
      if (aggregate(p) > aggregate(best)) {
        best = p;
      }
    }
    return best;
  }

  /** Uniform weights when every weight is zero (all particles dead under RATIO with an exact PRM). */
  private static double[] uniformIfDead(double[] lw) {
    for (double v : lw) {
      if (v > Double.NEGATIVE_INFINITY) {
        return lw;
      }
    }
    return new double[lw.length];
  }

  /** {@code log(r / (1 - r))} of r clipped to [EPS, 1 - EPS]. */
  static double logit(double r) {
    if (Double.isNaN(r)) {
      throw BadInputException.of("reward", r, "a number in [0, 1]");
    }
    double c = Math.min(1 - EPS, Math.max(EPS, r));
    return Math.log(c / (1 - c));
  }
}
