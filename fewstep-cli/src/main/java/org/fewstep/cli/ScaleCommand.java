package org.fewstep.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.fewstep.bench.ScalingBenchmark;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.scaling.Methods;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Tasks;
import picocli.CommandLine.Command;

/** {@code fewstep scale}: test-time scaling methods, accuracy against budget on a task set with honest verifiers. */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = {"Accuracy against budget of test-time scaling methods on a task set with an honest verifier.",
        "Every method answers every problem at every budget (same seed per run and problem); coverage (pass@k) and its",
        "exponentiated power-law fit come first. Methods: fewstep list methods; tasks: fewstep list tasks."})
final class ScaleCommand implements Callable<Integer> {
  /** The reward models of {@code --prm}. */
  static final Registry<Function<Task, Prm>> PRMS = new Registry<Function<Task, Prm>>("reward model")
      .register(new Component<>("exact", "the exact probability that the partial solution ends correct", "decoding.md 11d",
          List.of(), o -> Prm::exact))
      .register(new Component<>("noisy", "the exact probability blurred on the logit scale by a fixed Gaussian error per prefix",
          "decoding.md 11d", List.of(Option.real("sigma", 0.3, 0, Double.POSITIVE_INFINITY, "logit noise"),
              Option.real("floor", 1e-6, Double.MIN_VALUE, 0.5, "the exact probability is clipped to [floor, 1 - floor] first;"
                  + " e.g. 0.05 makes the verdict on finished solutions fallible"),
              Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the errors")),
          o -> task -> Prm.noisy(task, o.getDouble("sigma"), o.getDouble("floor"), o.getInt("seed"))));

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Option(names = "--task", defaultValue = "arithmetic",
      description = "a task set spec (arithmetic[:problems=N,seed=S]) or a .json task-set file; default ${DEFAULT-VALUE}")
  String task;

  @picocli.CommandLine.Option(names = "--method", required = true,
      description = "method specs separated by ';': bon, sc, rpc, pf, pg, pt, beam, dvts[:key=value,...]")
  String method;

  @picocli.CommandLine.Option(names = "--budget", defaultValue = "1,2,4,8,16,32,64",
      description = "budgets N (generations) separated by ','; default ${DEFAULT-VALUE}")
  String budget;

  @picocli.CommandLine.Option(names = "--prm", defaultValue = "exact", description = "exact or noisy:sigma=S; default ${DEFAULT-VALUE}")
  String prm;

  @picocli.CommandLine.Option(names = "--runs", defaultValue = "1", description = "runs per problem; default ${DEFAULT-VALUE}")
  int runs;

  @picocli.CommandLine.Option(names = "--seed", defaultValue = "0", description = "seed of the runs; default ${DEFAULT-VALUE}")
  long seed;

  @picocli.CommandLine.Option(names = "--no-coverage", description = "skip the coverage rows and their fit")
  boolean noCoverage;

  @picocli.CommandLine.Option(names = "--csv", description = "write the long-form results (method, budget, accuracy, ...)")
  Path csv;

  @picocli.CommandLine.Option(names = "--plot", description = "write accuracy against budget as a PNG (and against tokens, as NAME-tokens.png)")
  Path plot;

  @Override
  public Integer call() {
    List<String> specs = Arrays.asList(method.split(";"));
    specs.forEach(Methods::method); // a bad spec fails before any work
    int[] budgets = BenchCommand.DiffusionBench.parseCounts("--budget", budget);
    BadInputException.requireAtLeast("--runs", runs, 1);
    List<Task> tasks = Tasks.tasks(task);
    ScalingBenchmark bench = new ScalingBenchmark(tasks, PRMS.create(prm), seed, runs);
    var w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "task %s: %d problems, PRM %s, %d run(s), seed %d%n%n", task, tasks.size(), prm, runs, seed);
    ScalingBenchmark.Coverage coverage = null;
    if (!noCoverage) {
      coverage = bench.coverage(budgets);
    }
    List<ScalingBenchmark.Result> results = bench.run(specs, budgets);
    w.print(ScalingBenchmark.grid(results, budgets, coverage).toMarkdown());
    w.println("\n(accuracy: the fraction of problems answered correctly; - : the method cannot spend that budget)");
    for (ScalingBenchmark.Result r : results) {
      if (r.skipped() != null) {
        w.printf(Locale.ROOT, "skipped %s at N=%d: %s%n", r.method(), r.budget(), r.skipped());
      }
    }
    if (coverage != null && coverage.fit() == null) {
      w.println("coverage fit: none (it needs two budgets with coverage strictly between 0 and 1)");
    } else if (coverage != null) {
      w.printf(Locale.ROOT, "coverage fit: exp(a k^b) with a = %.4f, b = %.4f, R^2 = %.4f (%d points)%n", coverage.fit().a(),
          coverage.fit().b(), coverage.fit().rSquared(), coverage.fit().points());
    }
    if (csv != null) {
      ScalingBenchmark.table(results).writeCsv(csv);
      w.println("CSV -> " + csv);
    }
    if (plot != null) {
      Path tokens = ScalingBenchmark.plot(results, coverage, plot, "accuracy against budget: " + task + ", PRM " + prm);
      w.println("plots -> " + plot + ", " + tokens);
    }
    return 0;
  }
}
