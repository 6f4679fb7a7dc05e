package org.fewstep.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.ems.Ems;
import org.fewstep.diffusion.ems.EmsCalculator;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.solver.DcTuning;
import org.fewstep.diffusion.solver.S3Search;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep tune}: offline tuning whose result a sampler reads from a file. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Tune a sampler for a model and write what it learned to a file.",
    subcommands = {TuneCommand.DiffusionTune.class})
final class TuneCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a target is required: diffusion");
  }

  /** {@code fewstep tune diffusion}. */
  @Command(name = "diffusion", mixinStandardHelpOptions = true,
      description = {"Tune a diffusion sampler on initial noises of the model's prior; the file feeds the sampler.",
          "  dc: DC-Solver compensation ratios for --nfe steps (use with --sampler dc:ratios=FILE)",
          "  s3: a USF solver schedule for --nfe steps by S3's predictor-based search (use with --sampler usf:schedule=FILE;",
          "      with --teleport STATS the search also places the teleport jump: it prints the sampler spec to use)",
          "  ems: DPM-Solver-v3's empirical model statistics (use with --sampler dpmv3:ems=FILE); exact for a Gaussian",
          "       mixture without guidance, else estimated on probability-flow trajectories"})
  static final class DiffusionTune implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "gmm-16d", description = "model spec; default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--method", required = true, description = "dc, s3 or ems")
    String method;

    @Option(names = "--nfe", description = "dc: number of steps (model evaluations) to tune for")
    Integer nfe;

    @Option(names = "--statistics-steps", defaultValue = "1200", description = "ems: intervals of the EMS grid; default ${DEFAULT-VALUE}")
    int statisticsSteps;

    @Option(names = "--ems-samples", defaultValue = "1024", description = "ems: samples or trajectories per grid level; default ${DEFAULT-VALUE}")
    int emsSamples;

    @Option(names = "--probes", defaultValue = "1", description = "ems (estimated): Rademacher probes per point; default ${DEFAULT-VALUE}")
    int probes;

    @Option(names = "--estimate", description = "ems: estimate the statistics even for an analytic model")
    boolean estimate;

    @Option(names = "--held-out", defaultValue = "256", description = "s3: held-out initial noises the result is reported on (seed + 1000); default ${DEFAULT-VALUE}")
    int heldOut;

    @Option(names = "--stages", defaultValue = "6", description = "s3: predictor stages; default ${DEFAULT-VALUE}")
    int stages;

    @Option(names = "--teleport", description = "s3: also search where an analytical teleportation hands over to the schedule;"
        + " the Gaussian statistics as the teleport sampler's stats (a model spec, .json or .npy)")
    String teleport;

    @Option(names = "--out", required = true, description = "the file to write (.json)")
    Path out;

    @Option(names = "--sampler", description = "the sampler spec to tune (dc: a dc spec without ratios; default dc)")
    String sampler;

    @Option(names = "--guidance", description = "classifier-free guidance scale (1 = plain conditional)")
    Double guidance;

    @Option(names = "--labels", description = "class labels: one for all, one per noise, or 'cycle' (default with --guidance)")
    String labels;

    @Option(names = {"-n", "--noises"}, description = "initial noises to tune on; default 10 (dc, as the paper), 512 (s3), --ems-samples (ems)")
    Integer count;

    int noises;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the tuning noises (keep it apart from evaluation seeds); default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() {
      Cli.choice("--method", method, "dc", "s3", "ems");
      if (teleport != null && !method.equals("s3")) {
        throw BadInputException.of("--teleport", teleport, "only with --method s3");
      }
      noises = count != null ? count : method.equals("s3") ? 512 : 10;
      DiffusionModel m = Diffusion.model(model);
      var w = spec.commandLine().getOut();
      if (method.equals("ems")) {
        Ems ems;
        if (m instanceof GaussianMixture mixture && guidance == null && labels == null && !estimate) {
          ems = EmsCalculator.exact(mixture, model, statisticsSteps, emsSamples, seed);
        } else {
          Denoiser d = SampleCommand.denoiser(m, model, emsSamples, guidance, labels);
          ems = EmsCalculator.estimate(d, model, guidance == null ? Double.NaN : guidance, statisticsSteps, emsSamples, probes, seed);
        }
        ems.write(out);
        w.printf(Locale.ROOT, "EMS of %s%s: %d grid intervals over lambda [%.4f, %.4f], %d samples (seed %d) -> %s%n", model,
            guidance == null ? "" : " with guidance " + guidance, ems.steps(), ems.lambdaStart(), ems.lambdaEnd(), emsSamples, seed,
            out);
        return 0;
      }
      if (nfe == null) {
        throw BadInputException.of("--nfe", "none", "the number of steps to tune for");
      }
      if (method.equals("s3")) {
        BadInputException.requireAtLeast("--held-out", heldOut, 1);
        NdArray search = Diffusion.prior(m, noises, seed);
        NdArray held = Diffusion.prior(m, heldOut, seed + 1000);
        Denoiser d = SampleCommand.denoiser(m, model, noises, guidance, labels);
        Denoiser dHeld = SampleCommand.denoiser(m, model, heldOut, guidance, labels);
        if (guidance != null || labels != null) {
          throw new BadInputException("--method s3: guidance is not supported yet (the search and held-out sets need one denoiser)");
        }
        S3Search.Settings settings = new S3Search.Settings(S3Search.Settings.DEFAULT.initial(), stages,
            S3Search.Settings.DEFAULT.candidates(), S3Search.Settings.DEFAULT.evaluated());
        S3Search.Result r = S3Search.run(d, nfe, search, held, settings, seed,
            teleport == null ? null : GaussianApproximation.from(teleport, 0, 0, 0));
        r.schedule().write(out);
        w.printf(Locale.ROOT, "S3 schedule for %s, %d steps, %d search noises (seed %d), %d evaluated -> %s%n", model, nfe, noises,
            seed, r.evaluations(), out);
        double first = r.schedule().times()[0];
        w.printf(Locale.ROOT, "  run it with:        --sampler %s%n", first == m.schedule().tStart() ? "usf:schedule=" + out
            : "teleport:" + teleport + ",skip-to=" + m.schedule().at(first).noise() + ",base=usf:schedule=" + out);
        w.printf(Locale.ROOT, "  searched:           search RMSE %.4e, held-out RMSE %.4e (%d noises)%n", r.searchRmse(),
            r.heldOutRmse(), heldOut);
        w.printf(Locale.ROOT, "  best constant (%s): search RMSE %.4e, held-out RMSE %.4e%n", r.bestConstant(),
            r.constantSearch(), r.constantHeldOut());
        return 0;
      }
      NdArray start = Diffusion.prior(m, noises, seed);
      Denoiser denoiser = SampleCommand.denoiser(m, model, noises, guidance, labels);
      double scale = guidance == null ? 1.0 : guidance;
      DcTuning.Result r = DcTuning.search(sampler == null ? "dc" : sampler, denoiser, nfe, scale, start, DcTuning.Search.DEFAULT);
      r.ratios().write(out);
      w.printf(Locale.ROOT, "DC ratios for %s, %d steps, guidance %s, %d noises (seed %d) -> %s%n", model, nfe,
          guidance == null ? "none" : guidance.toString(), noises, seed, out);
      w.println("step  ratio     loss at 1    loss");
      double[] ratios = r.ratios().ratios();
      for (int i = 0; i < ratios.length; i++) {
        w.printf(Locale.ROOT, "%4d  %8.4f  %11.4e  %11.4e%n", i + 1, ratios[i], r.lossAtOne()[i], r.loss()[i]);
      }
      return 0;
    }
  }
}
