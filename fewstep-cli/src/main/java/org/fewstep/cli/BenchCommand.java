package org.fewstep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.fewstep.bench.DiffusionBenchmark;
import org.fewstep.bench.SpeculativeBenchmark;
import org.fewstep.core.BadInputException;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep bench}: experiments (quality against NFE) and JMH micro-benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: 'bench diffusion' (RMSE to the exact endpoint against NFE), 'bench speculative' "
        + "(acceptance and tokens per target call) and 'bench jmh' (micro-benchmarks).",
    subcommands = {BenchCommand.DiffusionBench.class, BenchCommand.SpeculativeBench.class, BenchCommand.Jmh.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required (diffusion, speculative, jmh)");
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

    @Option(names = "--csv", description = "write every measurement to this CSV file")
    Path csv;

    @Option(names = "--plot", description = "write a log-log plot of RMSE against NFE (.png)")
    Path plot;

    @Override
    public Integer call() {
      DiffusionModel m = Diffusion.model(model);
      List<String> specs = samplers.equals("all") ? DiffusionBenchmark.ALL : Arrays.asList(samplers.split(";"));
      specs.forEach(Diffusion::sampler); // fail on a bad spec before the reference run
      int[] stepCounts = parseCounts("--steps", steps);
      UnaryOperator<Denoiser> wrap = error == null ? UnaryOperator.identity() : Diffusion.errors().create(error);
      DiffusionBenchmark bench = new DiffusionBenchmark(m, wrap, count, seed, reference);
      out().printf(Locale.ROOT, "model %s, %d initial noises (seed %d); exact endpoints by %s: NFE %d, %.2f s%n%n",
          model, count, seed, reference, bench.referenceNfe(), bench.referenceSeconds());
      List<DiffusionBenchmark.Result> results = bench.run(specs, stepCounts, StepListener.NONE);
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

  /** Acceptance, optimal acceptance and tokens per target call of every speculative verifier. */
  @Command(name = "speculative", mixinStandardHelpOptions = true,
      description = {"Speculative decoding: for each verifier, draft length k and number of drafts K, the acceptance rate",
          "(± its standard error), the verifier's exact expected acceptance, the optimal acceptance, tokens per target",
          "call against (1 - a^(k+1)) / (1 - a) for one draft, and target calls per token."})
  static final class SpeculativeBench implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pair", defaultValue = "hmm", description = "kjv (kjv target, kjv-small draft), hmm or constant; default ${DEFAULT-VALUE}")
    String pair;

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
      SpeculativeBenchmark.Pair p = SpeculativeBenchmark.pair(pair);
      List<String> list = methods.equals("all") ? SpeculativeBenchmark.METHODS : Arrays.asList(methods.split(","));
      List<SpeculativeBenchmark.Result> results = SpeculativeBenchmark.grid(p, sampler, list,
          DiffusionBench.parseCounts("--k", ks), DiffusionBench.parseCounts("--drafts", drafts), samples, maxTokens, seed,
          !noOptimum);
      spec.commandLine().getOut().printf(Locale.ROOT, "pair %s: %s; sampler %s; %d sequences of at most %d tokens "
          + "per configuration (seed %d)%n%n", pair, p.description(), sampler, samples, maxTokens, seed);
      spec.commandLine().getOut().print(SpeculativeBenchmark.table(results).toMarkdown());
      if (csv != null) {
        SpeculativeBenchmark.table(results).writeCsv(csv);
        spec.commandLine().getOut().println("CSV -> " + csv);
      }
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
