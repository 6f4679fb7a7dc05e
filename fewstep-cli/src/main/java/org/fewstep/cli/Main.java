package org.fewstep.cli;

import java.io.PrintWriter;
import org.fewstep.core.BadInputException;
import org.fewstep.onnx.OnnxModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fewstep} command. Exit codes: 0 success, 2 bad input (a wrong option, value, file or
 * shape; NaN from a model), 1 a defect of fewstep.
 */
@Command(name = "fewstep",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Sample from generative models in as few model evaluations as possible.",
    subcommands = {SampleCommand.class, GenerateCommand.class, ScoreCommand.class, TrainCommand.class,
        BenchCommand.class, TuneCommand.class, ScaleCommand.class, SelectCommand.class, CurriculumCommand.class, ListCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (sample, generate, score, train, bench, tune, scale, list)");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush(); // print() does not flush an auto-flushing writer
    err.flush();
    System.exit(code);
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    OnnxModels.register();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof BadInputException) {
        commandLine.getErr().println("fewstep: " + e.getMessage());
        return 2;
      }
      commandLine.getErr().println("fewstep: internal error (please report): " + e);
      e.printStackTrace(commandLine.getErr());
      return 1;
    });
    return cli.execute(args);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fewstep " + (v == null ? "development build" : v)};
    }
  }
}
