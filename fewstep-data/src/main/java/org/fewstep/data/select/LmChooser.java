package org.fewstep.data.select;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Softmax;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Generation;

/**
 * Add-One-In's language-model chooser (Li et al., EMNLP 2025; discrete-and-data.md section 8 b) over any
 * fewstep {@link LanguageModel}. The prompt is {@link ChooserPrompt#text}, passed through a template (the
 * identity by default; a chat model's format otherwise). Two modes:
 * <ul>
 *   <li>{@link Mode#GENERATE}, the paper's: greedy decoding (temperature 0) of at most
 *       {@code maxNewTokens} tokens (default 1024, the reference's {@code max_tokens}); the reply is the
 *       decoded text, parsed by {@link AddOneIn} like the reference parses its LLM's answer.
 *   <li>{@link Mode#SCORE}: the model's log-probability of each answer {@code [[A]]}, {@code [[B]]}, ...
 *       after the prompt (the answer tokenized on its own, one forward pass per answer on a fork of the
 *       prompt's state); the reply is the most likely answer (ties to the first), so it is always valid
 *       unless the model rules every answer out (then the reply is empty, which counts as invalid).
 * </ul>
 */
public final class LmChooser implements Chooser {
  /** How the answer is obtained. */
  public enum Mode { GENERATE, SCORE }

  /** The reference's {@code max_tokens}. */
  public static final int DEFAULT_MAX_NEW_TOKENS = 1024;

  private final LanguageModel model;
  private final Mode mode;
  private final int maxNewTokens;
  private final UnaryOperator<String> template;

  /** A chooser; {@code template} turns the plain prompt into the text the model reads. */
  public LmChooser(LanguageModel model, Mode mode, int maxNewTokens, UnaryOperator<String> template) {
    this.model = Objects.requireNonNull(model, "model");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.maxNewTokens = BadInputException.requireAtLeast("max new tokens", maxNewTokens, 1);
    this.template = Objects.requireNonNull(template, "template");
  }

  /** Greedy generation of up to 1024 tokens on the plain prompt. */
  public static LmChooser generate(LanguageModel model) {
    return new LmChooser(model, Mode.GENERATE, DEFAULT_MAX_NEW_TOKENS, UnaryOperator.identity());
  }

  /** The most likely of the answers on the plain prompt. */
  public static LmChooser score(LanguageModel model) {
    return new LmChooser(model, Mode.SCORE, DEFAULT_MAX_NEW_TOKENS, UnaryOperator.identity());
  }

  /** The text the model reads for these windows. */
  public String prompt(List<Example> selected, List<Example> candidates) {
    return template.apply(ChooserPrompt.text(selected, candidates));
  }

  @Override
  public String choose(List<Example> selected, List<Example> candidates) {
    if (candidates.isEmpty() || candidates.size() > CandidateLabel.MAX_CANDIDATES) {
      throw BadInputException.of("candidates", candidates.size(), "1 to " + CandidateLabel.MAX_CANDIDATES);
    }
    String prompt = prompt(selected, candidates);
    if (mode == Mode.GENERATE) {
      return Generation.of(model).prompt(prompt).decoder("greedy").maxTokens(maxNewTokens).run().get(0).text();
    }
    double[] scores = answerLogprobs(prompt, candidates.size());
    int best = -1;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > Double.NEGATIVE_INFINITY && (best < 0 || scores[i] > scores[best])) {
        best = i;
      }
    }
    return best < 0 ? "" : CandidateLabel.answer(best);
  }

  /** log P(answer i | prompt) for the answers {@code [[A]]} .. of {@code count} candidates. */
  public double[] answerLogprobs(String prompt, int count) {
    int[] promptTokens = model.tokenizer().encode(prompt);
    double[] work = new double[model.vocabulary().size()];
    double[] out = new double[count];
    try (LmState state = model.start()) {
      state.prefill(promptTokens, null);
      for (int i = 0; i < count; i++) {
        int[] answer = model.tokenizer().encode(CandidateLabel.answer(i));
        try (LmState fork = state.fork()) {
          double[][] rows = fork.append(answer);
          double sum = 0;
          for (int t = 0; t < answer.length; t++) {
            sum += rows[t][answer[t]] - Softmax.logSumExp("logits of answer " + CandidateLabel.of(i), rows[t],
                rows[t].length, work);
          }
          out[i] = sum;
        }
      }
    }
    return out;
  }

  /** The mode. */
  public Mode mode() {
    return mode;
  }
}
