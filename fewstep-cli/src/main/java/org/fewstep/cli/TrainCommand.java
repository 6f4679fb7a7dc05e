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
import org.fewstep.text.model.Discount;
import org.fewstep.text.model.NGramModel;
import org.fewstep.text.token.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep train}: models trained from data. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model: 'train ngram'.",
    subcommands = TrainCommand.Ngram.class)
final class TrainCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a model kind is required (ngram)");
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
}
