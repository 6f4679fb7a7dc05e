package org.fewstep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.fewstep.bench.DiffusionBenchmark;
import org.fewstep.bench.DllmBenchmark;
import org.fewstep.bench.FkcBenchmark;
import org.fewstep.bench.MaskBenchmark;
import org.fewstep.bench.Plots;
import org.fewstep.bench.SpeculativeBenchmark;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Table;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.analysis.ErrorDisentanglement;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.model.HmmMaskedLm;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.model.MaskedModels;
import org.fewstep.text.token.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep bench}: experiments (quality against NFE) and JMH micro-benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: 'bench diffusion' (RMSE to the exact endpoint against NFE), 'bench speculative' "
        + "(acceptance and tokens per target call), 'bench dllm' (masked-diffusion decoders: NFE against likelihood "
        + "and distance to the exact joint), 'bench data' (training-data samplers and curricula) and 'bench jmh' (micro-benchmarks).",
    subcommands = {BenchCommand.DiffusionBench.class, BenchCommand.ErrorsBench.class, BenchCommand.FkcBench.class, BenchCommand.SpeculativeBench.class,
        BenchCommand.DllmBench.class, BenchCommand.MasksBench.class, BenchCommand.DataBench.class, BenchCommand.Jmh.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required (diffusion, speculative, dllm, masks, data, jmh)");
  }

  /** Token mask times of JSON Schema constraints over a real vocabulary. */
  @Command(name = "masks", mixinStandardHelpOptions = true,
      description = "Per-token mask time (mean, p50, p99, max) and compile time of JSON Schema constraints along the "
          + "token streams of valid instances, over a BPE vocabulary.")
  static final class MasksBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--vocab", defaultValue = "o200k", description = "BPE vocabulary: o200k, cl100k, r50k, ...; default ${DEFAULT-VALUE}")
    String vocab;

    @Option(names = "--schemas", defaultValue = "fewstep-constrain/src/test/resources/json-schemas",
        description = "directory of JSON Schema files; default ${DEFAULT-VALUE}")
    Path schemas;

    @Option(names = "--instances", description = "directory of instance files {\"valid\": [...]} named like the schemas; default SCHEMAS/instances")
    Path instances;

    @Option(names = "--whitespace", defaultValue = "compact", description = "compact (instances written compactly), flexible (pretty-printed) or a regular expression; default ${DEFAULT-VALUE}")
    String whitespace;

    @Option(names = "--csv", description = "write the per-schema table to this CSV file")
    Path csv;

    @Option(names = "--awrs", description = "also run AWRS generation with this model (its vocabulary is used) and count constraint evaluations per token against a full mask")
    String awrsModel;

    @Option(names = "--awrs-samples", defaultValue = "2", description = "with --awrs: samples per schema; default ${DEFAULT-VALUE}")
    int awrsSamples;

    @Option(names = "--max-tokens", defaultValue = "80", description = "with --awrs: most tokens per sample; default ${DEFAULT-VALUE}")
    int maxTokens;

    @Override
    public Integer call() {
      if (awrsModel != null) {
        LanguageModel lm = LanguageModels.create(awrsModel);
        List<MaskBenchmark.AwrsResult> a = MaskBenchmark.awrs(lm, schemas,
            whitespace, BadInputException.requireAtLeast("--awrs-samples", awrsSamples, 1),
            BadInputException.requireAtLeast("--max-tokens", maxTokens, 1), 0);
        spec.commandLine().getOut().print(MaskBenchmark.awrsTable(a, awrsModel).toMarkdown());
        spec.commandLine().getOut().println();
      }
      if (!Tokenizers.names().contains(vocab)) {
        throw BadInputException.of("--vocab", vocab, "one of " + String.join(", ", Tokenizers.names()));
      }
      MaskBenchmark.Result r = MaskBenchmark.run(vocab, schemas,
          instances == null ? schemas.resolve("instances") : instances, whitespace);
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.print(MaskBenchmark.summary(r).toMarkdown());
      out.println();
      out.println("slowest schemas by mean mask time:");
      out.print(MaskBenchmark.slowest(r, 8).toMarkdown());
      if (csv != null) {
        MaskBenchmark.perSchema(r).writeCsv(csv);
        out.println("CSV -> " + csv);
      }
      return 0;
    }
  }

  /** The experiments of the training-data samplers (fewstep-data), at their documented settings. */
  @Command(name = "data", mixinStandardHelpOptions = true,
      description = {"Runs one experiment of the training-data samplers and curricula at its documented settings and",
          "prints its Markdown table. NAME: weighting, snapshot, ... (bench data --list)."})
  static final class DataBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the experiment")
    String name;

    @Option(names = "--list", description = "list the experiments")
    boolean list;

    @Option(names = "--csv", description = "write the long-form results to this CSV file")
    Path csv;

    @Override
    public Integer call() throws java.io.IOException {
      java.io.PrintWriter out = spec.commandLine().getOut();
      if (list || name == null) {
        if (name == null && !list) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "an experiment NAME is required (or --list)");
        }
        org.fewstep.data.experiment.Experiments.all().forEach(e -> out.printf("%-12s %s%n", e.name(), e.summary()));
        return 0;
      }
      var experiment = org.fewstep.data.experiment.Experiments.get(name);
      long start = System.nanoTime();
      var report = experiment.run().get();
      out.print(report.markdown());
      out.printf(Locale.ROOT, "%n(%s: %.1f s)%n", name, (System.nanoTime() - start) / 1e9);
      if (csv != null) {
        java.nio.file.Files.writeString(csv, report.csv());
        out.println("CSV -> " + csv);
      }
      return 0;
    }
  }

  /** RMSE against NFE for diffusion samplers. */
  @Command(name = "diffusion", mixinStandardHelpOptions = true,
      description = {"RMSE to the exact endpoint (reference solver, same initial noise) for each sampler and step count.",
          "Prints a Markdown table; optionally writes the long-form CSV and a log-log plot of RMSE against NFE."})
  static final class DiffusionBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "gmm-2d", description = "model spec; default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--samplers", defaultValue = "all", description = "'all' or sampler specs separated by ';'; default ${DEFAULT-VALUE}")
    String samplers;

    @Option(names = "--steps", defaultValue = "5,6,8,10,15,20", description = "step counts; default ${DEFAULT-VALUE}")
    String steps;

    @Option(names = {"-n", "--count"}, defaultValue = "64", description = "number of initial noises; default ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the noise; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--reference", defaultValue = "reference", description = "sampler giving the exact endpoint; default ${DEFAULT-VALUE}")
    String reference;

    @Option(names = "--error", description = "add a model error to the denoiser (e.g. smooth:size=0.02)")
    String error;

    @Option(names = "--guidance", description = "classifier-free guidance scale (labels cycle over the classes unless --labels)")
    Double guidance;

    @Option(names = "--labels", description = "class labels: one for all, one per noise, or 'cycle'")
    String labels;

    @Option(names = "--tuned", description = "methods tuned per step count on --tune-seed noises, then measured, separated by ';':"
        + " dc sampler specs (DC-Solver's ratio search), 's3' (a USF schedule by S3) and 'teleport+s3:STATS' (S3 with the teleport jump as a searched decision)"
        + " (S3 after an analytical teleportation)")
    String tuned;

    @Option(names = "--tune-noises", defaultValue = "10", description = "with --tuned: initial noises to tune on; default ${DEFAULT-VALUE}")
    int tuneNoises;

    @Option(names = "--tune-seed", defaultValue = "1", description = "with --tuned: seed of the tuning noises (held out from --seed's); default ${DEFAULT-VALUE}")
    long tuneSeed;

    @Option(names = "--csv", description = "write every measurement to this CSV file")
    Path csv;

    @Option(names = "--plot", description = "write a log-log plot of RMSE against NFE (.png)")
    Path plot;

    @Override
    public Integer call() {
      DiffusionModel m = Diffusion.model(model);
      if (tuned != null && tuneSeed == seed) {
        throw BadInputException.of("--tune-seed", tuneSeed, "a seed other than --seed (" + seed + "), so that tuning and evaluation noises differ");
      }
      List<String> specs = samplers.equals("all") ? DiffusionBenchmark.ALL : Arrays.asList(samplers.split(";"));
      specs.forEach(Diffusion::sampler); // fail on a bad spec before the reference run
      specs.forEach(spec -> Cli.requireMatchingEms(spec, model, guidance));
      int[] stepCounts = parseCounts("--steps", steps);
      UnaryOperator<Denoiser> wrap = error == null ? UnaryOperator.identity() : Diffusion.errors().create(error);
      DiffusionBenchmark bench = new DiffusionBenchmark(m, rows -> SampleCommand.denoiser(m, model, rows, guidance, labels), wrap,
          count, seed, reference);
      out().printf(Locale.ROOT, "model %s, %d initial noises (seed %d); exact endpoints by %s: NFE %d, %.2f s%n%n",
          model, count, seed, reference, bench.referenceNfe(), bench.referenceSeconds());
      List<DiffusionBenchmark.Result> results = new ArrayList<>(bench.run(specs, stepCounts, StepListener.NONE));
      if (tuned != null) {
        List<String> dc = new ArrayList<>();
        for (String t : tuned.split(";")) {
          if (t.equals("s3")) {
            results.addAll(bench.runS3Tuned(stepCounts, tuneNoises, tuneSeed, null));
          } else if (t.startsWith("teleport+s3:")) {
            results.addAll(bench.runS3Tuned(stepCounts, tuneNoises, tuneSeed,
                GaussianApproximation.from(t.substring("teleport+s3:".length()), 0, 0, 0)));
          } else {
            dc.add(t);
          }
        }
        results.addAll(bench.runDcTuned(dc, stepCounts, tuneNoises, tuneSeed, guidance == null ? 1.0 : guidance));
      }
      out().print(DiffusionBenchmark.grid(results, stepCounts).toMarkdown());
      out().println("\n(RMSE; NFE in brackets where it differs from the step count)");
      if (csv != null) {
        DiffusionBenchmark.table(results).writeCsv(csv);
        out().println("CSV -> " + csv);
      }
      if (plot != null) {
        DiffusionBenchmark.plot(results, plot, "RMSE against NFE: " + model);
        out().println("plot -> " + plot);
      }
      return 0;
    }

    private java.io.PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static int[] parseCounts(String option, String text) {
      List<Integer> values = new ArrayList<>();
      for (String p : text.split(",")) {
        try {
          int v = Integer.parseInt(p.trim());
          if (v < 1) {
            throw new NumberFormatException();
          }
          values.add(v);
        } catch (NumberFormatException e) {
          throw BadInputException.of(option, text, "comma-separated integers >= 1");
        }
      }
      return values.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** The dual-error disentanglement (DualFast, section 3) of a sampler on an exact model with an injected model error. */
  @Command(name = "errors", mixinStandardHelpOptions = true,
      description = {"Discretisation error (sampler on the exact model), approximation error (the imperfect model's ODE solved",
          "exactly) and both (sampler on the imperfect model), all against the exact solution: end to end for each step count,",
          "and per interval of one grid (each interval from the exact state)."})
  static final class ErrorsBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "gmm-16d", description = "exact model spec; default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--error", defaultValue = "smooth:size=0.02", description = "the imperfect model's error (see 'fewstep list errors'); default ${DEFAULT-VALUE}")
    String error;

    @Option(names = "--sampler", defaultValue = "ddim", description = "sampler spec; default ${DEFAULT-VALUE}")
    String sampler;

    @Option(names = "--steps", defaultValue = "4,5,6,8,10,20,40,80", description = "step counts (end to end); default ${DEFAULT-VALUE}")
    String steps;

    @Option(names = "--per-step", defaultValue = "10", description = "steps of the grid analysed per interval (0: none; the sampler must take one-step grids); default ${DEFAULT-VALUE}")
    int perStep;

    @Option(names = {"-n", "--count"}, defaultValue = "64", description = "initial noises; default ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the noise; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--csv", description = "write the end-to-end table to this CSV file")
    Path csv;

    @Option(names = "--plot", description = "write a log-log plot of the three errors against the step count (.png)")
    Path plot;

    @Override
    public Integer call() {
      DiffusionModel m = Diffusion.model(model);
      Denoiser exact = Denoiser.of(m);
      Denoiser imperfect = Diffusion.errors().create(error).apply(Denoiser.of(m));
      DiffusionSampler s = Diffusion.sampler(sampler);
      int[] counts = DiffusionBench.parseCounts("--steps", steps);
      ErrorDisentanglement analysis = new ErrorDisentanglement(exact, imperfect);
      NdArray start = Diffusion.prior(m, count, seed);
      List<ErrorDisentanglement.Row> rows = analysis.endToEnd(s, counts, start);
      Table table = new Table("steps", "discretisation", "approximation", "both").doubleFormat("%.3e");
      for (ErrorDisentanglement.Row r : rows) {
        table.add(r.steps(), r.discretisation(), r.approximation(), r.both());
      }
      var out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "model %s with error %s, sampler %s, %d initial noises (seed %d): RMSE to the exact solution%n%n",
          model, error, s.spec(), count, seed);
      out.print(table.toMarkdown());
      if (perStep > 0) {
        Table per = new Table("step", "t from", "t to", "discretisation", "approximation", "both").doubleFormat("%.3e");
        for (ErrorDisentanglement.Row r : analysis.perStep(s, perStep, start)) {
          per.add(r.step(), r.tFrom(), r.tTo(), r.discretisation(), r.approximation(), r.both());
        }
        out.printf(Locale.ROOT, "%nper interval of the %d-step grid (each from the exact state):%n%n", perStep);
        out.print(per.toMarkdown());
      }
      if (csv != null) {
        table.writeCsv(csv);
        out.println("CSV -> " + csv);
      }
      if (plot != null) {
        double[] x = rows.stream().mapToDouble(ErrorDisentanglement.Row::steps).toArray();
        Plots.logLog(plot, "error disentanglement: " + s.spec() + " on " + model + " + " + error, "steps", "RMSE", List.of(
            new Plots.Series("discretisation", x, rows.stream().mapToDouble(ErrorDisentanglement.Row::discretisation).toArray()),
            new Plots.Series("approximation", x, rows.stream().mapToDouble(ErrorDisentanglement.Row::approximation).toArray()),
            new Plots.Series("both", x, rows.stream().mapToDouble(ErrorDisentanglement.Row::both).toArray())));
        out.println("plot -> " + plot);
      }
      return 0;
    }
  }

  /** Moment tables of Feynman-Kac correctors against closed-form targets. */
  @Command(name = "fkc", mixinStandardHelpOptions = true,
      description = "FKC's weighted moments next to the exact target's and those of the same SDE without weights.")
  static final class FkcBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--particles", defaultValue = "20000", description = "particles per run; default ${DEFAULT-VALUE}")
    int particles;

    @Option(names = "--steps", defaultValue = "400", description = "SDE steps (logSNR spacing); default ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--seeds", defaultValue = "4", description = "FKC runs averaged; default ${DEFAULT-VALUE}")
    int seeds;

    @Override
    public Integer call() {
      BadInputException.requireAtLeast("--particles", particles, 1);
      BadInputException.requireAtLeast("--seeds", seeds, 1);
      spec.commandLine().getOut().print(FkcBenchmark.run(particles, steps, seeds).toMarkdown());
      return 0;
    }
  }

  /** Acceptance, optimal acceptance and tokens per target call of every speculative verifier. */
  @Command(name = "speculative", mixinStandardHelpOptions = true,
      description = {"Speculative decoding: for each verifier, draft length k and number of drafts K, the acceptance rate",
          "(± its standard error), the verifier's exact expected acceptance, the optimal acceptance, tokens per target",
          "call against (1 - a^(k+1)) / (1 - a) for one draft, and target calls per token."})
  static final class SpeculativeBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pair", description = "kjv (kjv target, kjv-small draft), hmm or constant; default hmm")
    String pair;

    @Option(names = "--target", description = "the target model spec instead of a pair (e.g. onnx:DIR); with --draft")
    String target;

    @Option(names = "--draft", description = "the draft model spec (e.g. onnx:DIR2); with --target")
    String draft;

    @Option(names = "--methods", defaultValue = "all", description = "'all' or verifiers separated by ',' (standard, spectr, rrs, rrs-wor, greedy-md); default ${DEFAULT-VALUE}")
    String methods;

    @Option(names = "--k", defaultValue = "1,2,3,4,5,6,7,8", description = "draft lengths; default ${DEFAULT-VALUE}")
    String ks;

    @Option(names = "--drafts", defaultValue = "1,2,3,4,5,6,7,8", description = "numbers of drafts K; default ${DEFAULT-VALUE}")
    String drafts;

    @Option(names = "--sampler", defaultValue = "sample", description = "sampler of target and draft (sample:... or greedy); default ${DEFAULT-VALUE}")
    String sampler;

    @Option(names = {"-n", "--samples"}, defaultValue = "20", description = "sequences per configuration; default ${DEFAULT-VALUE}")
    int samples;

    @Option(names = "--max-tokens", defaultValue = "200", description = "most tokens per sequence; default ${DEFAULT-VALUE}")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "0", description = "seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--no-optimum", description = "skip the optimal and expected acceptance of every verified position (faster)")
    boolean noOptimum;

    @Option(names = "--csv", description = "write the table to this CSV file")
    Path csv;

    @Override
    public Integer call() {
      if ((target == null) != (draft == null)) {
        throw BadInputException.of(target == null ? "--draft" : "--target", target == null ? draft : target,
            (target == null ? "--target" : "--draft") + " as well (a pair of models)");
      }
      if (target != null && pair != null) {
        throw BadInputException.of("--pair", pair, "no --pair with --target and --draft (they name the pair)");
      }
      SpeculativeBenchmark.Pair p = target != null ? SpeculativeBenchmark.pair(target, draft)
          : SpeculativeBenchmark.pair(pair == null ? "hmm" : pair);
      List<String> list = methods.equals("all") ? SpeculativeBenchmark.METHODS : Arrays.asList(methods.split(","));
      List<SpeculativeBenchmark.Result> results = SpeculativeBenchmark.grid(p, sampler, list,
          DiffusionBench.parseCounts("--k", ks), DiffusionBench.parseCounts("--drafts", drafts), samples, maxTokens, seed,
          !noOptimum);
      spec.commandLine().getOut().printf(Locale.ROOT, "pair %s: %s; sampler %s; %d sequences of at most %d tokens "
          + "per configuration (seed %d)%n%n", p.name(), p.description(), sampler, samples, maxTokens, seed);
      spec.commandLine().getOut().print(SpeculativeBenchmark.table(results).toMarkdown());
      if (csv != null) {
        SpeculativeBenchmark.table(results).writeCsv(csv);
        spec.commandLine().getOut().println("CSV -> " + csv);
      }
      return 0;
    }
  }

  /** NFE against likelihood and distance to the exact joint of every masked-diffusion decoder. */
  @Command(name = "dllm", mixinStandardHelpOptions = true,
      description = "Masked-diffusion decoders on an HMM's exact masked model and on a trained one: for each length and "
          + "decoder, the mean NFE, the mean log-likelihood per token of the samples under the exact HMM joint (± se) "
          + "and its difference from the one-token-per-step decoder (llada:steps=L greedy, fhs at temperature 1), "
          + "and the TV of the pooled adjacent-pair distribution to the exact one; exact samples are the reference. "
          + "Then the exact TV at a tiny length for the stochastic decoders, and FHS against the ancestral sampler "
          + "in wall-clock.")
  static final class DllmBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "motif-hmm", description = "the exact model: an HMM's masked model (motif-hmm, weather-hmm, hmm:FILE); default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--trained", defaultValue = "mdm", description = "the trained model: 'mdm' (a log-linear model trained here with the MDM loss on "
        + "exact samples of prompt + the longest length, as motif-loglinear), a masked model spec of the same vocabulary "
        + "(e.g. motif-loglinear with --prompt 0), or 'none'; default ${DEFAULT-VALUE}")
    String trained;

    @Option(names = "--prompt", defaultValue = "16", description = "prompt length: row r continues the first tokens of exact sample r (0: none); default ${DEFAULT-VALUE}")
    int prompt;

    @Option(names = "--lengths", defaultValue = "64,256", description = "generated lengths; default ${DEFAULT-VALUE}")
    String lengths;

    @Option(names = {"-n", "--samples"}, defaultValue = "200", description = "samples per configuration; default ${DEFAULT-VALUE}")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--decoders", defaultValue = "all", description = "'all' (the grid of each length) or decoder specs separated by ';'; default ${DEFAULT-VALUE}")
    String decoders;

    @Option(names = "--lsd", defaultValue = "8,4", description = "train LSD and LSD+ students with L/d steps for each d, or 'none'; default ${DEFAULT-VALUE}")
    String lsd;

    @Option(names = "--tv-length", defaultValue = "4", description = "length of the exact-TV table (0: none); default ${DEFAULT-VALUE}")
    int tvLength;

    @Option(names = "--tv-decoders", defaultValue = "all", description = "'all' (the stochastic decoders at temperature 1) or specs separated by ';' for the exact-TV table; default ${DEFAULT-VALUE}")
    String tvDecoders;

    @Option(names = "--tv-samples", defaultValue = "50000", description = "samples per decoder in the exact-TV table; default ${DEFAULT-VALUE}")
    int tvSamples;

    @Option(names = "--speed-length", defaultValue = "1024", description = "length of the FHS speed comparison (0: none); default ${DEFAULT-VALUE}")
    int speedLength;

    @Option(names = "--speed-samples", defaultValue = "4", description = "samples per decoder in the speed comparison; default ${DEFAULT-VALUE}")
    int speedSamples;

    @Option(names = "--csv", description = "write dllm-nfe.csv, dllm-summary.csv, dllm-tv.csv and dllm-speed.csv into this directory")
    Path csv;

    @Override
    public Integer call() {
      MaskedLm exactModel = MaskedModels.create(model);
      if (!(exactModel instanceof HmmMaskedLm exact)) {
        throw BadInputException.of("--model", model, "an HMM's exact masked model (motif-hmm, weather-hmm, hmm:FILE)");
      }
      int[] lengthList = DiffusionBench.parseCounts("--lengths", lengths);
      int[] divisors = lsd.equals("none") ? new int[0] : DiffusionBench.parseCounts("--lsd", lsd);
      List<String> specs = decoders.equals("all") ? null : Arrays.asList(decoders.split(";"));
      if (specs != null) {
        specs = specs.stream().map(String::trim).toList();
        specs.forEach(org.fewstep.text.masked.MaskedDecoders::create); // fail on a bad spec before any run
      }
      List<String> tvSpecs = tvDecoders.equals("all") ? null : Arrays.stream(tvDecoders.split(";")).map(String::trim).toList();
      if (tvSpecs != null) {
        tvSpecs.forEach(org.fewstep.text.masked.MaskedDecoders::create);
      }
      if (tvLength < 0 || speedLength < 0) {
        throw BadInputException.of(tvLength < 0 ? "--tv-length" : "--speed-length", Math.min(tvLength, speedLength), "a length >= 0");
      }
      long start = System.nanoTime();
      MaskedLm trainedModel;
      if (trained.equals("none")) {
        trainedModel = null;
      } else if (trained.equals("mdm")) {
        trainedModel = DllmBenchmark.trainLogLinear(exact, prompt + Arrays.stream(lengthList).max().getAsInt()).model();
      } else {
        trainedModel = MaskedModels.create(trained);
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      DllmBenchmark bench = new DllmBenchmark(exact, trainedModel, samples, seed, prompt);
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      out.printf(Locale.ROOT, "exact model %s; trained model %s%s; %d samples per configuration (seed %d), each "
          + "continuing a prompt of %d exact tokens; log-likelihoods per token of the continuation under the exact "
          + "joint of %s%n", model, trainedModel == null ? "none" : trainedModel.name(),
          trainedModel == null ? "" : String.format(Locale.ROOT, " (loaded or trained in %.2f s)", trainSeconds),
          samples, seed, prompt, exact.name());
      List<DllmBenchmark.Row> rows = new ArrayList<>();
      for (int length : lengthList) {
        List<String> list = specs == null ? DllmBenchmark.grid(length) : specs;
        rows.addAll(bench.nfeTable(length, list, divisors, r -> err.printf(Locale.ROOT,
            "  L=%d %s %s: NFE %.1f, loglik/token %.4f, pair TV %.4f, %.2f s%n", r.length(), r.model(), r.decoder(),
            r.nfe(), r.logLik(), r.pairTv(), r.seconds())));
      }
      out.printf("%n## NFE against likelihood%n%n");
      out.print(DllmBenchmark.table(rows).toMarkdown());
      List<DllmBenchmark.Best> best = DllmBenchmark.summary(rows);
      out.printf("%n## Fewest NFE at equal likelihood (within max(2 se, 0.001) nats/token: greedy not below llada:steps=L,"
          + " T=1 on either side of fhs)%n%n");
      out.print(DllmBenchmark.summaryTable(best).toMarkdown());
      List<DllmBenchmark.TvRow> tv = List.of();
      if (tvLength > 0) {
        List<String> list = tvSpecs == null ? DllmBenchmark.tvGrid(tvLength) : tvSpecs;
        tv = bench.tvTable(tvLength, tvSamples, list, divisors.length > 0, r -> err.printf(Locale.ROOT,
            "  L=%d %s %s: TV %.4f, %.2f s%n", r.length(), r.model(), r.decoder(), r.tv(), r.seconds()));
        out.printf(Locale.ROOT, "%n## Exact TV at length %d (%d samples each)%n%n", tvLength, tvSamples);
        out.print(DllmBenchmark.tvTable(tv).toMarkdown());
      }
      List<DllmBenchmark.SpeedRow> speed = List.of();
      if (speedLength > 0) {
        speed = bench.speed(speedLength, speedSamples, r -> err.printf(Locale.ROOT, "  L=%d %s %s: %.4f s/sample%n",
            r.length(), r.model(), r.decoder(), r.wall()));
        out.printf(Locale.ROOT, "%n## FHS against the ancestral sampler at length %d (%d samples each, after a warm-up)%n%n",
            speedLength, speedSamples);
        out.print(DllmBenchmark.speedTable(speed).toMarkdown());
      }
      if (csv != null) {
        try {
          java.nio.file.Files.createDirectories(csv);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("cannot create " + csv, e);
        }
        DllmBenchmark.table(rows).writeCsv(csv.resolve("dllm-nfe.csv"));
        DllmBenchmark.summaryTable(best).writeCsv(csv.resolve("dllm-summary.csv"));
        if (tvLength > 0) {
          DllmBenchmark.tvTable(tv).writeCsv(csv.resolve("dllm-tv.csv"));
        }
        if (speedLength > 0) {
          DllmBenchmark.speedTable(speed).writeCsv(csv.resolve("dllm-speed.csv"));
        }
        out.println("CSV -> " + csv);
      }
      out.printf(Locale.ROOT, "%ntotal %.1f s%n", (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /** Runs JMH with the given arguments (e.g. {@code SolverStep -prof gc}). */
  @Command(name = "jmh", description = "JMH micro-benchmarks; arguments go to JMH (e.g. 'SolverStep -prof gc', '-h').")
  static final class Jmh implements Callable<Integer> {
    @picocli.CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      org.openjdk.jmh.Main.main(args.toArray(new String[0]));
      return 0;
    }
  }

}
