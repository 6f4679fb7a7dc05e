package org.fewstep.diffusion.solver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Resampling;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Keyed;
import org.fewstep.core.registry.Registry;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.ems.Ems;
import org.fewstep.diffusion.ems.EmsCalculator;
import org.fewstep.diffusion.guidance.MinorityGuidance;
import org.fewstep.diffusion.guidance.MinoritySampler;
import org.fewstep.diffusion.guidance.MinorityScore;
import org.fewstep.diffusion.guidance.MlpClassifier;
import org.fewstep.diffusion.model.DataSource;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.model.Models;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Skip;

/**
 * The registered diffusion samplers, their options and defaults. Every sampler takes
 * {@code skip} (step spacing), {@code rho} (for skip=karras) and {@code denoise} (one final
 * evaluation returning the data estimate); data-prediction samplers also take {@code thresholding}.
 * {@code compat=official} makes the options that were not given take the defaults of the official
 * code and reproduces its arithmetic (including its float32 rounding of the adaptive step factor).
 */
public final class Samplers {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static final Map<String, String> DPM_OFFICIAL = Map.of(
      "method", "multistep", "order", "2", "skip", "time-uniform", "solver-type", "dpmsolver", "final", "official");
  private static final Map<String, String> UNIPC_OFFICIAL = Map.of(
      "variant", "bh1", "order", "2", "skip", "time-uniform", "prediction", "data", "final", "official");

  private static final Map<String, String> DC_OFFICIAL = Map.of(
      "variant", "bh1", "order", "3", "skip", "time-uniform", "prediction", "data", "final", "official");
  private static final Map<String, String> DC_DPMPP_OFFICIAL = Map.of(
      "order", "2", "skip", "time-uniform", "solver-type", "dpmsolver", "final", "official");

  private static final Registry<DiffusionSampler> REGISTRY = new Registry<DiffusionSampler>("sampler")
      .register(new Component<>("euler",
          "Euler steps in the noise level, optionally stochastic (EDM Algorithm 2); 1 NFE per step",
          "Karras et al., Elucidating the Design Space of Diffusion-Based Generative Models, NeurIPS 2022",
          with(grid("karras"), edmOptions(), thresholdingOptions()),
          o -> edm(o, false)))
      .register(new Component<>("heun",
          "Heun's second-order method in the noise level (EDM Algorithms 1 and 2); 2 NFE per step",
          "Karras et al., Elucidating the Design Space of Diffusion-Based Generative Models, NeurIPS 2022",
          with(grid("karras"), edmOptions(), thresholdingOptions()),
          o -> edm(o, true)))
      .register(new Component<>("ddim",
          "DDIM; eta = 0 deterministic (= DPM-Solver-1), eta = 1 DDPM ancestral",
          "Song, Meng and Ermon, Denoising Diffusion Implicit Models, ICLR 2021",
          with(grid("time-uniform"), List.of(Option.real("eta", 0.0, 0, 1, "stochasticity (0 = ODE)")), thresholdingOptions()),
          o -> new Ddim(settings(o), o.getDouble("eta"))))
      .register(new Component<>("pndm",
          "pseudo linear multistep with pseudo Runge-Kutta (F-PNDM, NFE = steps + 9) or improved-Euler (S-PNDM, NFE = steps + 1) start",
          "Liu et al., Pseudo Numerical Methods for Diffusion Models on Manifolds, ICLR 2022",
          with(grid("time-uniform"), List.of(Option.choice("variant", "f-pndm", "start and multistep order", "f-pndm", "s-pndm"))),
          o -> new Pndm(settings(o), o.get("variant").equals("f-pndm"))))
      .register(new Component<>("deis",
          "exponential integrator with polynomial extrapolation of eps (tAB/rhoAB), rhoRK, or iPNDM",
          "Zhang and Chen, Fast Sampling of Diffusion Models with Exponential Integrator, ICLR 2023",
          with(grid("time-quadratic"), List.of(
              Option.choice("method", "ab", "ab: Adams-Bashforth exponential integrator; rk: Runge-Kutta in rho; ipndm",
                  Keyed.keys(Deis.Method.class)),
              Option.choice("basis", "t", "ab: variable of the extrapolating polynomial (t = tAB, rho = rhoAB, logrho = diffusers)",
                  Keyed.keys(Deis.Basis.class)),
              Option.integer("order", 3, 0, 3, "ab/ipndm: polynomial degree (past evaluations used); 0 = DDIM"),
              Option.choice("rk", "kutta3", "rk: the Runge-Kutta method", Deis.Tableau.KEYS))),
          Samplers::deis))
      .register(new Component<>("dpm-solver",
          "DPM-Solver with noise prediction: singlestep ('fast'), fixed-order, multistep, adaptive 12/23",
          "Lu et al., DPM-Solver: A Fast ODE Solver for Diffusion Probabilistic Model Sampling, NeurIPS 2022",
          with(grid("logsnr"), dpmOptions("singlestep", 3), compat()),
          o -> dpm(o, Parameterization.NOISE)))
      .register(new Component<>("dpmpp",
          "DPM-Solver++ with data prediction: 2S/3S singlestep, 2M/3M multistep, adaptive, SDE-2M/3M",
          "Lu et al., DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models, arXiv 2211.01095",
          with(grid("logsnr"), dpmOptions("multistep", 2), List.of(
              Option.flag("sde", false, "multistep SDE-DPM-Solver++ (stochastic)"),
              Option.real("eta", 1.0, 0, INF, "sde: noise fraction (0 = ODE)")), thresholdingOptions(), compat()),
          o -> dpm(o, Parameterization.DATA)))
      .register(new Component<>("unipc",
          "UniPC: unified predictor (UniP) and corrector (UniC) of any order, B(h) variants bh1/bh2",
          "Zhao et al., UniPC: A Unified Predictor-Corrector Framework for Fast Sampling of Diffusion Models, NeurIPS 2023",
          with(grid("logsnr"), List.of(
              Option.integer("order", 2, 1, 4, "order of the predictor (the corrector adds one)"),
              Option.choice("variant", "bh2", "B(h) = h (bh1) or expm1(h) (bh2)", Keyed.keys(UniPc.Variant.class)),
              Option.choice("prediction", "data", "model output expanded: data (x0) or noise (eps)",
                  Keyed.keys(Parameterization.class)),
              Option.flag("corrector", true, "apply UniC (never on the last step)"),
              Option.choice("final", "official", "end-of-run order reduction (official = always)", Keyed.keys(FinalOrder.class))),
              thresholdingOptions(), compat()),
          Samplers::unipc))
      .register(new Component<>("dc",
          "DC-Solver: UniPC (or multistep DPM-Solver++) whose newest model output is re-timed by searched ratios",
          "Zhao et al., DC-Solver: Improving Predictor-Corrector Diffusion Sampler via Dynamic Compensation, ECCV 2024",
          with(grid("logsnr"), dcOptions(), thresholdingOptions(), compat()),
          Samplers::dc))
      .register(new Component<>("teleport",
          "analytical teleportation: the exact flow of the data's Gaussian approximation replaces the first steps"
              + " (no evaluation), then the base sampler continues",
          "Wang and Vastola, The Unreasonable Effectiveness of Gaussian Score Approximation for Diffusion Models"
              + " and its Applications, arXiv 2311.12820",
          List.of(
              Option.text("base", "unipc", "the continuing sampler's spec, with '+' for ',' (e.g. unipc:order=3+variant=bh1)"),
              Option.real("skip", 0.2, 0, INF, "steps replaced by the jump: a count (integer) or a fraction in (0, 1) of the steps"),
              Option.real("skip-to", null, Double.MIN_VALUE, INF, "jump to this noise level sigma/alpha instead; the base then takes all steps"),
              Option.choice("continue", "fresh", "after the jump: a fresh base grid from the jump's noise level with the"
                  + " remaining steps (official benchmark) or the tail of the original grid", Keyed.keys(Teleport.Continuation.class)),
              Option.text("stats", null, "Gaussian statistics: a model spec (gmm-16d: exact moments; digits: the data set's),"
                  + " a .json file {mean, covariance} or a .npy array of samples [n, ...] to fit").asRequiredPositional(),
              Option.integer("rank", 0, 0, Integer.MAX_VALUE, "eigenpairs of the covariance kept (0 = all)"),
              Option.integer("stats-samples", 0, 0, Integer.MAX_VALUE, "model stats of a mixture: fit to this many of its"
                  + " samples instead of its exact moments (0 = exact)"),
              Option.integer("stats-seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of stats-samples")),
          Samplers::teleport))
      .register(new Component<>("fkc",
          "Feynman-Kac correctors: the reverse SDE of the combined score (guidance, product of experts, tempering by beta)"
              + " with importance weights and SMC resampling, so that the particles follow the target exactly; 1 NFE per step",
          "Skreta et al., Feynman-Kac Correctors in Diffusion: Annealing, Guidance, and Product of Experts, ICML 2025",
          with(grid("karras"), List.of(
              Option.real("beta", 1.0, -INF, INF, "temperature annealing: the target is the denoiser's combination to the power beta"),
              Option.choice("resampling", "systematic", "resampling scheme", "systematic", "multinomial", "stratified"),
              Option.real("ess", 0.5, 0, 1, "resample when the effective sample size falls below ess * particles"),
              Option.integer("every", 0, 0, Integer.MAX_VALUE, "resample every this many steps instead (0 = by ess)"),
              Option.flag("center", false, "subtract each step's batch mean from the log-weight increments (official image code)"),
              Option.real("clamp", 0.0, 0, INF, "clip each step's log-weight increments to [-clamp, clamp]; 0 = none (official image code: 1)"),
              Option.flag("final-resample", true, "resample once at the end so the samples are equally weighted"
                  + " (false: return the weighted particles and their weights)"),
              Option.flag("weights", true, "false: the same SDE without weights (the uncorrected sampler)"))),
          o -> new FeynmanKac(settings(o), o.getDouble("beta"),
              Resampling.valueOf(o.get("resampling").toUpperCase(Locale.ROOT)),
              o.getDouble("ess"), o.getInt("every"), o.getBool("center"), o.getDouble("clamp"), o.getBool("final-resample"),
              o.getBool("weights"))))
      .register(new Component<>("minority",
          "minority guidance: classifier guidance toward the most unique class of the data's minority scores"
              + " (Tweedie reconstruction loss); fits the scores and a noisy classifier once per model, then runs the base sampler",
          "Um, Lee and Ye, Don't Play Favorites: Minority Guidance for Diffusion Models, ICLR 2024",
          List.of(
              Option.text("data", null, "the data set: a model spec (a mixture's draws, digits' images) or a .npy of samples")
                  .asRequiredPositional(),
              Option.text("base", "unipc", "the sampler that runs on the guided model, with '+' for ','"),
              Option.real("scale", 1.0, 0, INF, "guidance scale w"),
              Option.integer("classes", 100, 2, Integer.MAX_VALUE, "minority classes L (official 100)"),
              Option.real("level", MinorityScore.DEFAULT_LEVEL, 0, 1, "perturbation level of the score, a fraction of the time range"
                  + " (official: timestep 605 of 1000)"),
              Option.integer("draws", MinorityScore.DEFAULT_DRAWS, 1, Integer.MAX_VALUE, "noise draws per point (official n_iter 5)"),
              Option.integer("samples", 5000, 1, Integer.MAX_VALUE, "draws of a Gaussian mixture used as the data set"),
              Option.integer("hidden", 64, 1, Integer.MAX_VALUE, "hidden units of the classifier"),
              Option.integer("train-steps", 3000, 1, Integer.MAX_VALUE, "Adam steps of the classifier"),
              Option.real("lr", 3e-3, 0, INF, "Adam step size"),
              Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the data draws, scores and training")),
          Samplers::minority))
      .register(new Component<>("dpmv3",
          "DPM-Solver-v3: multistep predictor-corrector on the ODE re-parameterised by empirical model statistics (EMS)",
          "Zheng, Lu, Chen and Zhu, DPM-Solver-v3: Improved Diffusion ODE Solver with Empirical Model Statistics, NeurIPS 2023",
          with(grid("logsnr"), List.of(
              Option.integer("order", 3, 1, 3, "order of the predictor"),
              Option.flag("corrector", true, "apply the corrector (no extra evaluation)"),
              Option.flag("predictor-pseudo", false, "pseudo-order derivatives (divided differences) in the predictor"),
              Option.flag("corrector-pseudo", false, "pseudo-order derivatives in the corrector (and one more point)"),
              Option.flag("half", false, "the official 'half' flag: the corrector only where t > 0.5"),
              Option.choice("final", "official", "end-of-run order reduction (official = always)", Keyed.keys(FinalOrder.class)),
              Option.text("ems", "estimate", "the statistics: a .json EMS file (fewstep tune diffusion --method ems),"
                  + " exact:MODEL for an analytic model's exact statistics, estimate (from the denoiser, at first use), or"
                  + " degenerate (l = 1, s = b = 0: DPM-Solver++)"),
              Option.integer("statistics-steps", 1200, 2, Integer.MAX_VALUE, "exact/estimate: intervals of the EMS grid"),
              Option.integer("ems-samples", 1024, 2, Integer.MAX_VALUE, "exact/estimate: samples or trajectories per level"),
              Option.integer("probes", 1, 1, Integer.MAX_VALUE, "estimate: Rademacher probes per point for the Jacobian"),
              Option.integer("ems-seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "exact/estimate: seed"))),
          Samplers::dpmv3))
      .register(new Component<>("usf",
          "unified sampling framework: per-step decisions (prediction type, order, difference formula, corrector) from a"
              + " solver schedule (schedule=FILE from fewstep tune diffusion --method s3) or a constant preset",
          "Liu, Ning, Yang and Wang, A Unified Sampling Framework for Solver Searching of Diffusion Probabilistic Models, ICLR 2024",
          with(grid("logsnr"), List.of(
              Option.text("schedule", null, "a solver schedule file (.json); its times replace the grid"),
              Option.choice("preset", "unipc-bh2-2", "without a file: a constant schedule on the skip grid",
                  SolverSchedule.PRESETS.toArray(String[]::new)))),
          o -> {
            if (o.isSet("schedule") && o.isGiven("preset")) {
              throw new BadInputException("usf: give schedule or preset, not both");
            }
            return new Usf(settings(o), o.isSet("schedule") ? SolverSchedule.read(Path.of(o.get("schedule"))) : null,
                o.get("preset"));
          }))
      .register(new Component<>("reference",
          "adaptive Dormand-Prince 5(4) in log-SNR: the exact ODE endpoint to ~1e-10 (ignores steps)",
          "Dormand and Prince, J. Comput. Appl. Math. 1980; Hairer, Norsett and Wanner, Solving ODEs I",
          List.of(
              Option.real("rtol", 1e-10, 0, 1, "relative tolerance"),
              Option.real("atol", 1e-10, 0, 1, "absolute tolerance"),
              Option.real("h-init", 0.01, 0, INF, "first step in log-SNR"),
              Option.integer("max-steps", 200_000, 1, Integer.MAX_VALUE, "give up after this many steps")),
          o -> new Reference(new Solver.Settings(o.spec(), Skip.LOGSNR, Skip.DEFAULT_RHO, false, Thresholding.none()),
              o.getDouble("rtol"), o.getDouble("atol"), o.getDouble("h-init"), o.getInt("max-steps"))));

  private Samplers() {}

  public static Registry<DiffusionSampler> registry() {
    return REGISTRY;
  }

  // ------------------------------------------------------------------ option groups

  @SafeVarargs
  private static List<Option> with(List<Option>... groups) {
    List<Option> all = new ArrayList<>();
    for (List<Option> g : groups) {
      all.addAll(g);
    }
    return all;
  }

  private static List<Option> grid(String skip) {
    return List.of(
        Option.choice("skip", skip, "step spacing", Keyed.keys(Skip.class)),
        Option.real("rho", Skip.DEFAULT_RHO, 0, INF, "exponent of skip=karras"),
        Option.flag("denoise", false, "end with one more evaluation that returns the data estimate (NFE + 1)"));
  }

  private static List<Option> thresholdingOptions() {
    return List.of(
        Option.choice("thresholding", "none", "correct the data estimate (pixel models only)", Keyed.keys(Thresholding.Kind.class)),
        Option.real("threshold-ratio", 0.995, 0, 1, "dynamic thresholding quantile"),
        Option.real("threshold-max", 1.0, 0, INF, "dynamic thresholding lower bound of s"));
  }

  private static List<Option> compat() {
    return List.of(Option.choice("compat", "fewstep",
        "official: unset options take the official code's defaults and its arithmetic is reproduced", "fewstep", "official"));
  }

  private static List<Option> edmOptions() {
    return List.of(
        Option.real("churn", 0.0, 0, INF, "S_churn: stochasticity (0 = ODE)"),
        Option.real("churn-tmin", 0.0, 0, INF, "S_tmin: churn only for noise levels >= this"),
        Option.real("churn-tmax", INF, 0, INF, "S_tmax: churn only for noise levels <= this"),
        Option.real("churn-noise", 1.0, 0, INF, "S_noise: scale of the added noise"));
  }

  private static List<Option> dpmOptions(String method, int order) {
    return List.of(
        Option.choice("method", method, "singlestep (NFE = steps), singlestep-fixed, multistep or adaptive", Keyed.keys(DpmSolver.Method.class)),
        Option.integer("order", order, 1, 3, "solver order (adaptive: 2 or 3)"),
        Option.choice("solver-type", "dpmsolver", "form of the first-difference term: dpmsolver (midpoint) or taylor",
            "dpmsolver", "taylor"),
        Option.choice("final", "official", "multistep end-of-run order reduction (official = lower10)", Keyed.keys(FinalOrder.class)),
        Option.real("atol", 0.0078, 0, INF, "adaptive: absolute tolerance"),
        Option.real("rtol", 0.05, 0, INF, "adaptive: relative tolerance"),
        Option.real("h-init", 0.05, 0, INF, "adaptive: first step in log-SNR"),
        Option.real("theta", 0.9, 0, 1, "adaptive: safety factor"),
        Option.real("t-err", 1e-5, 0, INF, "adaptive: stop when |t - t_end| <= t-err"));
  }

  private static List<Option> dcOptions() {
    return List.of(
        Option.choice("base", "unipc", "the multistep solver compensated: unipc (with or without corrector) or dpmpp",
            "unipc", "dpmpp"),
        Option.integer("order", 2, 1, 4, "order of the base solver (unipc: predictor order; dpmpp: at most 3)"),
        Option.choice("variant", "bh2", "unipc: B(h) = h (bh1) or expm1(h) (bh2)", Keyed.keys(UniPc.Variant.class)),
        Option.choice("prediction", "data", "model output expanded and compensated: data (x0) or noise (eps)",
            Keyed.keys(Parameterization.class)),
        Option.flag("corrector", true, "unipc: apply UniC (never on the last step)"),
        Option.choice("solver-type", "dpmsolver", "dpmpp: form of the first-difference term", "dpmsolver", "taylor"),
        Option.choice("final", "official", "end-of-run order reduction (official: unipc always, dpmpp lower10)",
            Keyed.keys(FinalOrder.class)),
        Option.integer("dc-order", 2, 1, 3, "Lagrange interpolation order of the compensation (2 = three outputs)"),
        Option.text("ratios", null,
            "JSON file of searched ratios for this number of steps (fewstep tune diffusion --method dc); none: all 1"),
        Option.text("cpr", null, "JSON or .npy file of the 36 cascade-polynomial-regression coefficients (needs scale)"),
        Option.real("scale", null, -INF, INF, "cpr: the guidance scale the ratios are predicted for"));
  }

  // ------------------------------------------------------------------ factories

  private static Solver.Settings settings(Options o) {
    Thresholding thresholding = Thresholding.none();
    if (o.declares("thresholding")) {
      thresholding = new Thresholding(Keyed.of(Thresholding.Kind.class, "thresholding", o.get("thresholding")),
          o.getDouble("threshold-ratio"), o.getDouble("threshold-max"));
    }
    return new Solver.Settings(o.spec(), Skip.of(o.get("skip")), o.getDouble("rho"), o.getBool("denoise"), thresholding);
  }

  private static DiffusionSampler edm(Options o, boolean heun) {
    return new Edm(settings(o), heun, o.getDouble("churn"), o.getDouble("churn-tmin"), o.getDouble("churn-tmax"),
        o.getDouble("churn-noise"));
  }

  private static DiffusionSampler deis(Options o) {
    Deis.Method method = Keyed.of(Deis.Method.class, "method", o.get("method"));
    if (method != Deis.Method.AB && o.isGiven("basis")) {
      throw new BadInputException("deis: basis applies to method=ab only, not method=" + o.get("method"));
    }
    if (method != Deis.Method.RK && o.isGiven("rk")) {
      throw new BadInputException("deis: rk applies to method=rk only, not method=" + o.get("method"));
    }
    if (method == Deis.Method.RK && o.isGiven("order")) {
      throw new BadInputException("deis: order does not apply to method=rk (the order is the rk method's)");
    }
    Deis.Basis basis = Keyed.of(Deis.Basis.class, "basis", o.get("basis"));
    return new Deis(settings(o), method, basis, o.getInt("order"), Deis.Tableau.of(o.get("rk")));
  }

  private static DiffusionSampler dpm(Options o, Parameterization param) {
    boolean official = o.get("compat").equals("official");
    if (official) {
      o = o.withDefaults(DPM_OFFICIAL);
    }
    DpmSolver.Method method = Keyed.of(DpmSolver.Method.class, "method", o.get("method"));
    boolean sde = param == Parameterization.DATA && o.getBool("sde");
    if (param == Parameterization.DATA && !sde && o.isGiven("eta")) {
      throw new BadInputException("dpmpp: eta applies to sde=true only");
    }
    DpmSolver.Adaptive adaptive = new DpmSolver.Adaptive(o.getDouble("atol"), o.getDouble("rtol"), o.getDouble("h-init"),
        o.getDouble("theta"), o.getDouble("t-err"), official);
    return new DpmSolver(settings(o), param, method, o.getInt("order"), o.get("solver-type").equals("taylor"),
        Keyed.of(FinalOrder.class, "final", o.get("final")), adaptive, sde ? o.getDouble("eta") : Double.NaN);
  }

  /**
   * The teleport sampler over {@code base} with prepared statistics (what {@code teleport:...} builds
   * from a spec): {@code skip} a step count or a fraction in (0, 1), or {@code skipTo} a noise level
   * (NaN to use skip); {@code continuation} {@code fresh} or {@code tail}.
   */
  public static DiffusionSampler teleport(DiffusionSampler base, GaussianApproximation gaussian, double skip,
      double skipTo, String continuation) {
    String spec = "teleport:base=" + base.spec().replace(',', '+') + (Double.isNaN(skipTo) ? ",skip=" + skip : ",skip-to=" + skipTo)
        + ",continue=" + continuation;
    return new Teleport(spec, base, gaussian, skip, skipTo, Keyed.of(Teleport.Continuation.class, "continue", continuation));
  }

  private static DiffusionSampler teleport(Options o) {
    if (o.isGiven("skip") && o.isSet("skip-to")) {
      throw new BadInputException("teleport: give skip or skip-to, not both");
    }
    String baseSpec = o.get("base").replace('+', ',');
    DiffusionSampler base = REGISTRY.create(baseSpec);
    GaussianApproximation gaussian = GaussianApproximation.from(o.get("stats"), o.getInt("rank"), o.getInt("stats-samples"),
        o.getInt("stats-seed"));
    return new Teleport(o.spec(), base, gaussian, o.getDouble("skip"),
        o.isSet("skip-to") ? o.getDouble("skip-to") : Double.NaN,
        Keyed.of(Teleport.Continuation.class, "continue", o.get("continue")));
  }

  private static DiffusionSampler dpmv3(Options o) {
    String ems = o.get("ems");
    int steps = o.getInt("statistics-steps");
    int samples = o.getInt("ems-samples");
    long seed = o.getInt("ems-seed");
    java.util.function.Function<org.fewstep.diffusion.Denoiser, Ems> source;
    if (ems.equals("degenerate")) {
      source = d -> {
        NoiseSchedule schedule = d.schedule();
        return Ems.degenerate(schedule.at(schedule.tStart()).lambda(), schedule.at(schedule.tEnd()).lambda(), steps);
      };
    } else if (ems.equals("estimate")) {
      source = d -> EmsCalculator.estimate(d, "estimated at first use", Double.NaN, steps, samples, o.getInt("probes"), seed);
    } else if (ems.startsWith("exact:")) {
      String model = ems.substring("exact:".length());
      if (!(Models.registry().create(model) instanceof GaussianMixture mixture)) {
        throw BadInputException.of("dpmv3: ems", ems, "exact:MODEL for a Gaussian mixture model (gmm-2d, gmm-16d, gmm:FILE, ...)");
      }
      source = new DpmSolverV3.FixedEms(EmsCalculator.exact(mixture, model, steps, samples, seed));
    } else if (ems.endsWith(".json")) {
      source = new DpmSolverV3.FixedEms(Ems.read(Path.of(ems)));
    } else {
      throw BadInputException.of("dpmv3: ems", ems, "a .json EMS file, exact:MODEL, estimate or degenerate");
    }
    return new DpmSolverV3(settings(o), o.getInt("order"), o.getBool("corrector"), o.getBool("predictor-pseudo"),
        o.getBool("corrector-pseudo"), o.getBool("half"), Keyed.of(FinalOrder.class, "final", o.get("final")), source);
  }

  private static DiffusionSampler minority(Options o) {
    return new MinoritySampler(o.spec(), REGISTRY.create(o.get("base").replace('+', ',')),
        DataSource.samples(o.get("data"), o.getInt("samples"), o.getInt("seed")),
        new MinorityGuidance.Settings(o.getInt("classes"), o.getDouble("level"), o.getInt("draws"),
            new MlpClassifier.Settings(o.getInt("hidden"), o.getInt("train-steps"), 128, o.getDouble("lr"), 0.0)),
        o.getDouble("scale"), o.getInt("seed"));
  }

  private static DiffusionSampler unipc(Options o) {
    if (o.get("compat").equals("official")) {
      o = o.withDefaults(UNIPC_OFFICIAL);
    }
    Parameterization param = Keyed.of(Parameterization.class, "prediction", o.get("prediction"));
    if (param == Parameterization.NOISE && !o.get("thresholding").equals("none")) {
      throw new BadInputException("unipc: thresholding corrects the data estimate; it needs prediction=data");
    }
    UniPc.Variant variant = Keyed.of(UniPc.Variant.class, "variant", o.get("variant"));
    return new UniPc(settings(o), param, variant, o.getInt("order"), o.getBool("corrector"),
        Keyed.of(FinalOrder.class, "final", o.get("final")));
  }

  private static DiffusionSampler dc(Options o) {
    boolean ratios = o.isGiven("ratios");
    boolean cpr = o.isGiven("cpr");
    if (ratios && cpr) {
      throw new BadInputException("dc: give one of ratios=FILE (searched ratios for one number of steps) or "
          + "cpr=FILE with scale=W, not both");
    }
    if (!ratios && !cpr) {
      if (o.isGiven("scale")) {
        throw new BadInputException("dc: scale applies to cpr only");
      }
      // as the official sample() without dc_ratios: ratio 1 everywhere, the base solver itself
      return dcSolver(o, HistoryTransform.NONE);
    }
    int dcOrder = o.getInt("dc-order");
    String spec = o.spec();
    IntFunction<double[]> ratiosFor;
    if (ratios) {
      if (o.isGiven("scale")) {
        throw new BadInputException("dc: scale applies to cpr only (a ratios file is for the scale it was searched for)");
      }
      String file = o.get("ratios");
      DcRatios searched = DcRatios.read(Path.of(file));
      ratiosFor = steps -> {
        if (steps != searched.nfe()) {
          throw BadInputException.of(spec + ": steps", steps, searched.nfe() + ", the number of ratios in " + file);
        }
        return searched.ratios();
      };
    } else {
      if (!o.isGiven("scale")) {
        throw new BadInputException("dc: cpr needs scale=W, the guidance scale to predict the ratios for");
      }
      Cpr regression = Cpr.read(Path.of(o.get("cpr")));
      double scale = o.getDouble("scale");
      ratiosFor = steps -> regression.ratios(steps, scale, dcOrder);
    }
    return dcSolver(o, new DynamicCompensation(dcOrder, ratiosFor, spec));
  }

  /** The base solver of a {@code dc} spec with the given history transform (sampling or search). */
  static Solver dcSolver(Options o, HistoryTransform transform) {
    boolean dpmpp = o.get("base").equals("dpmpp");
    if (o.get("compat").equals("official")) {
      o = o.withDefaults(dpmpp ? DC_DPMPP_OFFICIAL : DC_OFFICIAL);
    }
    Parameterization param = Keyed.of(Parameterization.class, "prediction", o.get("prediction"));
    if (param == Parameterization.NOISE && !o.get("thresholding").equals("none")) {
      throw new BadInputException("dc: thresholding corrects the data estimate; it needs prediction=data");
    }
    FinalOrder finalOrder = Keyed.of(FinalOrder.class, "final", o.get("final"));
    int order = o.getInt("order");
    if (dpmpp) {
      for (String key : List.of("variant", "corrector")) {
        if (o.isGiven(key)) {
          throw new BadInputException("dc: " + key + " applies to base=unipc only, not base=dpmpp");
        }
      }
      if (order > 3) {
        throw BadInputException.of("dc: order", order, "1, 2 or 3 for base=dpmpp");
      }
      DpmSolver.Adaptive unused = new DpmSolver.Adaptive(0.0078, 0.05, 0.05, 0.9, 1e-5, false);
      return new DpmSolver(settings(o), param, DpmSolver.Method.MULTISTEP, order, o.get("solver-type").equals("taylor"),
          finalOrder, unused, Double.NaN, transform);
    }
    if (o.isGiven("solver-type")) {
      throw new BadInputException("dc: solver-type applies to base=dpmpp only, not base=unipc");
    }
    return new UniPc(settings(o), param, Keyed.of(UniPc.Variant.class, "variant", o.get("variant")), order,
        o.getBool("corrector"), finalOrder, transform);
  }
}
