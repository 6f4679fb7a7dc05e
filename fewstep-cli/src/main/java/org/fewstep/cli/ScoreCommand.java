package org.fewstep.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.Scores;
import org.fewstep.text.model.LanguageModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep score}: the exact log-probability of a text under a model. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Print the natural-log probability of a text under a language model (and its perplexity).",
        "Example: fewstep score --model kjv --text 'In the beginning God created the heaven and the earth.' --eos"})
final class ScoreCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "kjv", description = "model spec; default ${DEFAULT-VALUE}")
  String model;

  @Option(names = "--text", required = true, description = "the text, scored from the start of a sequence")
  String text;

  @Option(names = "--eos", description = "the sequence also ends there (adds the end token's log-probability)")
  boolean eos;

  @Option(names = "--tokens", description = "also print each token with its log-probability")
  boolean perToken;

  @Override
  public Integer call() {
    LanguageModel lm = LanguageModels.create(model);
    Scores s = Scores.of(lm, text, eos);
    PrintWriter out = spec.commandLine().getOut();
    if (perToken) {
      for (int i = 0; i < s.tokens().length; i++) {
        out.printf(Locale.ROOT, "%d\t%s\t%.6f%n", s.tokens()[i], visible(lm.vocabulary().text(s.tokens()[i])), s.logprobs()[i]);
      }
    }
    out.printf(Locale.ROOT, "logprob %.6f  tokens %d  perplexity %.4f%n", s.total(), s.tokens().length, s.perplexity());
    return 0;
  }

  private static String visible(String token) {
    return token.replace("\n", "\\n").replace("\t", "\\t");
  }
}
