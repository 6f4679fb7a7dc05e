package org.fewstep.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.masked.LogLinearMaskedLm;
import org.fewstep.text.masked.LsdTraining;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MdmTraining;
import org.fewstep.text.model.Discount;
import org.fewstep.text.model.HmmMaskedLm;
import org.fewstep.text.model.MaskedModels;
import org.fewstep.text.model.NGramModel;
import org.fewstep.text.token.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep train}: models trained from data. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model: 'train ngram', 'train masked' (a log-linear masked LM) or 'train lsd' (LSD sampler parameters).",
    subcommands = {TrainCommand.Ngram.class, TrainCommand.Masked.class, TrainCommand.Lsd.class})
final class TrainCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a model kind is required (ngram, masked, lsd)");
  }

  /** {@code fewstep train ngram}. */
  @Command(name = "ngram", mixinStandardHelpOptions = true,
      description = {"Train an interpolated Kneser-Ney n-gram model (one sequence per non-blank line of the corpus).",
          "Example: fewstep train ngram --corpus verses.txt --order 4 --tokenizer cl100k --out verses.ngram.gz",
          "Use it with: fewstep generate --model ngram:verses.ngram.gz"})
  static final class Ngram implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", required = true, description = "UTF-8 text file, one sequence per line")
    Path corpus;

    @Option(names = "--order", defaultValue = "3", description = "n, from 1 to 6; default ${DEFAULT-VALUE}")
    int order;

    @Option(names = "--tokenizer", defaultValue = "cl100k", description = "cl100k, o200k, p50k, r50k, char or word; default ${DEFAULT-VALUE}")
    String tokenizer;

    @Option(names = "--min-count", defaultValue = "1", description = "word tokenizer: words seen fewer times are spelled by characters; default ${DEFAULT-VALUE}")
    int minCount;

    @Option(names = "--discount", defaultValue = "modified", description = "modified (three discounts per order) or a fixed D in (0, 1); default ${DEFAULT-VALUE}")
    String discount;

    @Option(names = "--out", required = true, description = "the model file to write (gzip; docs/ngram-format.md)")
    Path out;

    @Override
    public Integer call() {
      List<String> lines;
      try {
        lines = Files.readAllLines(corpus, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      } catch (IOException e) {
        throw new BadInputException("--corpus " + corpus + ": cannot read it as UTF-8 text (" + e.getMessage() + ")", e);
      } catch (UncheckedIOException e) {
        throw new BadInputException("--corpus " + corpus + ": " + e.getMessage(), e);
      }
      if (lines.isEmpty()) {
        throw BadInputException.of("--corpus", corpus, "a file with at least one non-blank line");
      }
      Tokenizer t = Tokenizers.forCorpus(tokenizer, lines, minCount);
      long start = System.nanoTime();
      NGramModel model = NGramModel.train(t, lines, order, Discount.parse(discount));
      model.save(out);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s (%d lines, %.1f s)%n", out, model, lines.size(),
          (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /** {@code fewstep train masked}. */
  @Command(name = "masked", mixinStandardHelpOptions = true,
      description = {"Train a log-linear masked LM with the MDM loss on samples of an HMM (discrete-and-data.md 0.3).",
          "Example: fewstep train masked --hmm motif-hmm --length 64 --out motif.loglinear.json",
          "Use it with: fewstep generate --masked --model loglinear:motif.loglinear.json"})
  static final class Masked implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--hmm", defaultValue = "motif-hmm", description = "the HMM whose samples are the data: motif-hmm, weather-hmm or hmm:FILE; default ${DEFAULT-VALUE}")
    String hmm;

    @Option(names = "--length", defaultValue = "64", description = "sequence length (the model's longest); default ${DEFAULT-VALUE}")
    int length;

    @Option(names = "--window", defaultValue = "4", description = "neighbours on each side; default ${DEFAULT-VALUE}")
    int window;

    @Option(names = "--steps", defaultValue = "2000", description = "Adam steps; default ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "sequences per step; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--lr", defaultValue = "0.005", description = "learning rate; default ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", required = true, description = "the model file to write (JSON)")
    Path out;

    @Override
    public Integer call() {
      HmmMaskedLm exact = exactHmm("--hmm", hmm);
      long start = System.nanoTime();
      LogLinearMaskedLm model = MdmTraining.train(exact.tokenizer(), rng -> exact.sample(length, rng),
          MdmTraining.Options.defaults().length(length).window(window).steps(steps).batchSize(batch).learningRate(lr).seed(seed));
      double seconds = (System.nanoTime() - start) / 1e9;
      model.save(out);
      List<int[]> heldOut = new java.util.ArrayList<>();
      org.fewstep.core.Rng rng = new org.fewstep.core.Rng(seed + 1);
      for (int n = 0; n < 1000; n++) {
        heldOut.add(exact.sample(length, rng));
      }
      spec.commandLine().getOut().printf(Locale.ROOT,
          "wrote %s: %d parameters, trained in %.1f s; held-out MDM loss %.4f nats per token (the exact %s: %.4f)%n",
          out, model.parameterCount(), seconds, MdmTraining.loss(model, heldOut, 7), exact.name(), MdmTraining.loss(exact, heldOut, 7));
      return 0;
    }
  }

  /** {@code fewstep train lsd}. */
  @Command(name = "lsd", mixinStandardHelpOptions = true,
      description = {"Learn LSD sampler coefficients (and with --plus the LSD+ time grid) for a masked LM (discrete-and-data.md 5).",
          "Example: fewstep train lsd --model motif-hmm --length 64 --steps 8 --plus --out lsd8.json",
          "Use it with: fewstep generate --masked --model motif-hmm --decoder lsd:lsd8.json --length 64"})
  static final class Lsd implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "motif-hmm", description = "masked model spec; default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--length", defaultValue = "64", description = "sequence length; default ${DEFAULT-VALUE}")
    int length;

    @Option(names = "--steps", defaultValue = "8", description = "student steps M; default ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--plus", description = "LSD+: also learn the time grid")
    boolean plus;

    @Option(names = "--iterations", defaultValue = "40", description = "LSD iterations; default ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--batch", defaultValue = "32", description = "rollouts per iteration; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", required = true, description = "the parameters file to write (JSON)")
    Path out;

    @Override
    public Integer call() {
      MaskedLm lm = MaskedModels.create(model);
      long start = System.nanoTime();
      LsdTraining.Result r = new LsdTraining().iterations(iterations).batch(batch).learnTimes(plus).seed(seed)
          .train(lm, steps, length);
      r.parameters().save(out);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s in %.1f s: times %s, coefficients %s%n", out,
          (System.nanoTime() - start) / 1e9, format(r.parameters().times()), format(r.parameters().coefficients()));
      return 0;
    }

    private static String format(double[] v) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.length; i++) {
        b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
      }
      return b.append(']').toString();
    }
  }

  /** The exact masked model of an HMM spec (motif-hmm, weather-hmm, hmm:FILE). */
  static HmmMaskedLm exactHmm(String option, String spec) {
    MaskedLm m = MaskedModels.create(spec);
    if (!(m instanceof HmmMaskedLm exact)) {
      throw BadInputException.of(option, spec, "an HMM (motif-hmm, weather-hmm or hmm:FILE) whose samples are the data");
    }
    return exact;
  }
}
