package org.fewstep.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Resampling;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Registry;
import org.fewstep.scaling.adaptive.AdaptiveSampling;
import org.fewstep.scaling.adaptive.EarlyPruning;
import org.fewstep.scaling.adaptive.SelfEvaluator;
import org.fewstep.scaling.search.BeamSearch;
import org.fewstep.scaling.search.BestOfN;
import org.fewstep.scaling.search.ParticleFilter;
import org.fewstep.scaling.select.MaxProbability;
import org.fewstep.scaling.select.PathProbability;
import org.fewstep.scaling.select.Rpc;
import org.fewstep.scaling.select.Selection;
import org.fewstep.scaling.select.SelfConsistency;

/** The registry of test-time scaling methods, by spec ({@code pf:particles=...}, see {@code fewstep list methods}). */
public final class Methods {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Option TEMPERATURE = Option.real("temperature", 1.0, Double.MIN_VALUE, INF,
      "the generator's temperature");

  private static final Registry<Method> REGISTRY = new Registry<Method>("method")
      .register(new Component<>("bon",
          "best-of-N: N independent samples, the one with the highest reward (the PRM's score of the finished"
              + " solution) or the highest path probability",
          "Brown et al., Large Language Monkeys: Scaling Inference Compute with Repeated Sampling, 2024",
          List.of(Option.choice("select", "reward", "what picks the sample: reward, or logprob (path probability)",
              "reward", "logprob"), Option.choice("path", "mean-token", "logprob: mean token log-probability (perplexity)"
              + " or sequence log-probability", "mean-token", "sequence"), TEMPERATURE),
          o -> (task, prm, n, seed) -> {
            BestOfN.Samples s = BestOfN.sample(task, n, o.getDouble("temperature"), seed);
            if (o.get("select").equals("reward")) {
              Trace best = null;
              double bestScore = Double.NEGATIVE_INFINITY;
              for (Trace t : s.traces()) {
                double r = prm.score(t);
                if (r > bestScore) {
                  bestScore = r;
                  best = t;
                }
              }
              return new Solution(best, plusCalls(s.cost(), n));
            }
            Selection pick = MaxProbability.select(samples(s.traces()), path(o));
            return new Solution(withAnswer(s.traces(), pick.answer()), s.cost());
          }))
      .register(new Component<>("sc",
          "self-consistency: majority vote over the answers of N samples, optionally weighted by the reward",
          "Wang et al., Self-Consistency Improves Chain of Thought Reasoning in Language Models, ICLR 2023",
          List.of(Option.flag("weighted", false, "weigh each vote by the PRM's score of the finished solution"), TEMPERATURE),
          o -> (task, prm, n, seed) -> {
            BestOfN.Samples s = BestOfN.sample(task, n, o.getDouble("temperature"), seed);
            Selection pick;
            Cost cost = s.cost();
            if (o.getBool("weighted")) {
              double[] w = new double[n];
              for (int i = 0; i < n; i++) {
                w[i] = prm.score(s.traces().get(i));
              }
              pick = SelfConsistency.select(samples(s.traces()), w);
              cost = plusCalls(cost, n);
            } else {
              pick = SelfConsistency.select(samples(s.traces()));
            }
            return new Solution(withAnswer(s.traces(), pick.answer()), cost);
          }))
      .register(new Component<>("rpc",
          "RPC: reasoning pruning (a two-component Weibull mixture over path probabilities) then perplexity"
              + " consistency (distinct paths' probabilities summed per answer)",
          "Zhou et al., Bridging Internal Probability and Self-Consistency for Effective and Efficient LLM Reasoning,"
              + " NeurIPS 2025",
          List.of(Option.choice("path", "mean-token", "path probability: exp(mean token log-probability), the official"
              + " code's, or the sequence probability", "mean-token", "sequence"), TEMPERATURE),
          o -> (task, prm, n, seed) -> {
            BestOfN.Samples s = BestOfN.sample(task, n, o.getDouble("temperature"), seed);
            return new Solution(withAnswer(s.traces(), Rpc.select(samples(s.traces()), path(o)).answer()), s.cost());
          }))
      .register(new Component<>("pf",
          "particle filtering: N particles step by step, resampled by the PRM's softmax(logit) weights (or the"
              + " Bayes-correct ratio r_t / r_t-1)",
          "Puri et al., Rollout Roulette: A Probabilistic Inference Approach to Inference-Time Scaling of LLMs, 2025",
          filterOptions(List.of()),
          o -> (task, prm, n, seed) -> new ParticleFilter(filter(o, n)).run(task, prm, new Rng(seed))))
      .register(new Component<>("pg",
          "particle Gibbs: iterations of the particle filter with reference particles kept from the last"
              + " iteration; N = particles x iterations",
          "Puri et al., Rollout Roulette, 2025 (Algorithm 2)",
          filterOptions(List.of(Option.integer("iterations", 4, 1, Integer.MAX_VALUE, "Gibbs iterations"),
              Option.integer("references", 1, 1, Integer.MAX_VALUE, "reference particles"))),
          o -> (task, prm, n, seed) -> {
            int iterations = o.getInt("iterations");
            int particles = particlesPerIteration(n, iterations, o.getInt("references"));
            return new ParticleFilter(filter(o, particles)).gibbs(task, prm, iterations, o.getInt("references"),
                new Rng(seed));
          }))
      .register(new Component<>("pt",
          "parallel tempering: particle Gibbs chains at geometric softmax temperatures 1..max with swaps of"
              + " reference particles; N = particles x iterations x chains",
          "Puri et al., Rollout Roulette, 2025 (parallel tempering; swap rule unconfirmed)",
          filterOptions(List.of(Option.integer("iterations", 2, 1, Integer.MAX_VALUE, "Gibbs iterations"),
              Option.integer("chains", 2, 1, Integer.MAX_VALUE, "chains"),
              Option.real("max-temperature", 4.0, 1, INF, "the hottest chain's softmax temperature"))),
          o -> (task, prm, n, seed) -> {
            int chains = o.getInt("chains");
            int iterations = o.getInt("iterations");
            if (n % chains != 0) {
              throw BadInputException.of("pt: budget N", n, "a multiple of the " + chains + " chains");
            }
            int particles = particlesPerIteration(n / chains, iterations, 1);
            double[] temperatures = new double[chains];
            for (int c = 0; c < chains; c++) {
              temperatures[c] = chains == 1 ? 1 : Math.pow(o.getDouble("max-temperature"), c / (chains - 1.0));
            }
            return new ParticleFilter(filter(o, particles)).tempering(task, prm, iterations, 1, temperatures, new Rng(seed));
          }))
      .register(new Component<>("adaptive",
          "adaptive inference-time compute: rounds of growing batches (initial x growth^k, capped by N), stopping once the"
              + " best self-evaluation reaches the threshold; self-evaluation from the PRM: r + (1 - r)(1 - p0)",
          "Manvi, Singh and Ermon, Adaptive Inference-Time Compute: LLMs Can Predict if They Can Do Better, 2024",
          List.of(Option.real("threshold", 0.9, -INF, INF, "stop once the best score is at least this (0: one round; > 1: all N)"),
              Option.integer("initial", 1, 1, Integer.MAX_VALUE, "the first round's size"),
              Option.real("growth", 2.0, 1, 1e9, "each round's size over the previous one's"),
              Option.real("first-temperature", null, Double.MIN_VALUE, INF, "the first sample's temperature (the paper's"
                  + " annealing idea); unset: all at temperature"), TEMPERATURE),
          o -> (task, prm, n, seed) -> {
            double t = o.getDouble("temperature");
            AdaptiveSampling.Settings s = new AdaptiveSampling.Settings(n, o.getDouble("threshold"), o.getInt("initial"),
                o.getDouble("growth"), o.isSet("first-temperature")
                    ? AdaptiveSampling.firstThen(o.getDouble("first-temperature"), t) : AdaptiveSampling.constant(t));
            return new AdaptiveSampling(s).run(task, SelfEvaluator.fromPrm(prm), seed).solution();
          }))
      .register(new Component<>("prune",
          "early pruning: N samples scored by the self-evaluation after a number of steps; only the best fraction go on",
          "Manvi, Singh and Ermon, Adaptive Inference-Time Compute, 2024 (early pruning; position unconfirmed)",
          List.of(Option.real("keep", 0.5, Double.MIN_VALUE, 1, "the fraction f of samples that go on: ceil(f N)"),
              Option.integer("after", 2, 1, Integer.MAX_VALUE, "the step after which the samples are scored"), TEMPERATURE),
          o -> (task, prm, n, seed) -> new EarlyPruning(new EarlyPruning.Settings(n, o.getDouble("keep"), o.getInt("after"),
              AdaptiveSampling.constant(o.getDouble("temperature")))).run(task, SelfEvaluator.fromPrm(prm), seed).solution()))
      .register(new Component<>("beam",
          "step-level beam search: N partial solutions, the best N/width kept by the PRM and continued width times",
          "Beeching, Tunstall and Rush, Scaling test-time compute with open models (search-and-learn), 2024",
          List.of(Option.integer("width", 4, 1, Integer.MAX_VALUE, "continuations per kept beam"), TEMPERATURE),
          o -> (task, prm, n, seed) -> BeamSearch.beam(task, prm, n, Math.min(o.getInt("width"), n),
              o.getDouble("temperature"), new Rng(seed))))
      .register(new Component<>("dvts",
          "diverse verifier tree search: N/width independent greedy subtrees of width continuations per step",
          "Beeching, Tunstall and Rush, Scaling test-time compute with open models (search-and-learn), 2024",
          List.of(Option.integer("width", 4, 1, Integer.MAX_VALUE, "continuations per step of a subtree"), TEMPERATURE),
          o -> (task, prm, n, seed) -> BeamSearch.dvts(task, prm, n, Math.min(o.getInt("width"), n),
              o.getDouble("temperature"), new Rng(seed))));

  private Methods() {}

  public static Registry<Method> registry() {
    return REGISTRY;
  }

  /** The method of a spec. */
  public static Method method(String spec) {
    return REGISTRY.create(spec);
  }

  private static List<Option> filterOptions(List<Option> extra) {
    List<Option> out = new ArrayList<>(extra);
    out.add(Option.real("softmax-temperature", 1.0, Double.MIN_VALUE, INF, "T of the resampling weights softmax(logit(r) / T)"));
    out.add(Option.choice("weights", "paper", "paper: softmax(logit(r) / T); ratio: r_t / r_t-1", "paper", "ratio"));
    out.add(Option.choice("aggregation", "last", "how step rewards combine: the last (the PRM reads the whole trace),"
        + " product or min", "last", "product", "min"));
    out.add(Option.choice("resampling", "multinomial", "resampling scheme", "multinomial", "systematic", "stratified"));
    out.add(Option.flag("resample-finished", true, "finished particles stay in the pool (official)"));
    out.add(Option.choice("select", "argmax", "the answer: the particle of the highest reward, or one drawn by weight",
        "argmax", "sample"));
    out.add(TEMPERATURE);
    return out;
  }

  private static ParticleFilter.Settings filter(Options o, int particles) {
    return new ParticleFilter.Settings(particles, o.getDouble("softmax-temperature"),
        ParticleFilter.Weights.valueOf(o.get("weights").toUpperCase(Locale.ROOT)),
        ParticleFilter.Aggregation.valueOf(o.get("aggregation").toUpperCase(Locale.ROOT)),
        Resampling.valueOf(o.get("resampling").toUpperCase(Locale.ROOT)), o.getBool("resample-finished"),
        ParticleFilter.Selection.valueOf(o.get("select").toUpperCase(Locale.ROOT)), o.getDouble("temperature"));
  }

  /** N / iterations particles per iteration; budget N = particles x iterations. */
  private static int particlesPerIteration(int n, int iterations, int references) {
    if (n % iterations != 0 || (iterations > 1 && n / iterations <= references)) {
      throw BadInputException.of("particle Gibbs: budget N", n, "a multiple of the " + iterations
          + " iterations with more than " + references + " particles per iteration");
    }
    return n / iterations;
  }

  private static PathProbability path(Options o) {
    return o.get("path").equals("sequence") ? PathProbability.SEQUENCE : PathProbability.MEAN_TOKEN;
  }

  private static List<Sample> samples(List<Trace> traces) {
    List<Sample> out = new ArrayList<>(traces.size());
    for (Trace t : traces) {
      out.add(t.toSample());
    }
    return out;
  }

  /** The first trace with {@code answer} (the first trace if no sample has an answer). */
  private static Trace withAnswer(List<Trace> traces, String answer) {
    for (Trace t : traces) {
      if (answer != null && answer.equals(t.answer())) {
        return t;
      }
    }
    return traces.get(0);
  }

  private static Cost plusCalls(Cost c, long calls) {
    return new Cost(c.generations(), c.steps(), c.tokens(), c.rewardCalls() + calls);
  }
}
