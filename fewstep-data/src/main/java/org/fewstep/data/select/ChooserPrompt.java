package org.fewstep.data.select;

import java.util.List;

/**
 * The instructions a language-model chooser of Add-One-In reads (Li et al., EMNLP 2025;
 * discrete-and-data.md section 8 b): pick the candidate that best improves the shown set by (1) the
 * quality of its response and (2) its marginal contribution to diversity, answer with the bracketed label
 * first. Written for fewstep; the reference's {@code prompt.py} asks for {@code [A]} while its parser looks
 * for {@code [[A]]}; here the requested form is the parsed one. Texts are put on one line each (line breaks
 * and tabs become spaces), as the reference does.
 */
public final class ChooserPrompt {
  private ChooserPrompt() {}

  /** The task description (a chat model's system message). */
  public static String instructions() {
    return "You are helping to assemble a training set for an assistant, one example at a time. "
        + "You will see Set A, examples that are already in the training set, and Set B, candidate examples "
        + "labelled [A], [B] and so on. Each example is an instruction, possibly with an input, followed by a "
        + "response. Decide which single candidate from Set B would improve Set A the most if it were added, "
        + "weighing two things:\n"
        + "1. Quality: the response is correct, relevant to its instruction and input, clear and useful.\n"
        + "2. Diversity: the candidate adds something Set A does not already cover (a new task, topic or "
        + "style) instead of repeating what is there.";
  }

  /** The two windows and the answer format (a chat model's user message). */
  public static String windows(List<Example> selected, List<Example> candidates) {
    StringBuilder out = new StringBuilder("Set A (already selected):\n");
    for (int i = 0; i < selected.size(); i++) {
      out.append(i + 1).append(". ").append(oneLine(selected.get(i).text())).append('\n');
    }
    out.append("\nSet B (candidates):\n");
    for (int i = 0; i < candidates.size(); i++) {
      out.append('[').append(CandidateLabel.of(i)).append("] ").append(oneLine(candidates.get(i).text())).append('\n');
    }
    out.append("\nStart your answer with the label of the best candidate in double brackets, for example ")
        .append(CandidateLabel.answer(0)).append(" for the first one")
        .append(candidates.size() > 1 ? " or " + CandidateLabel.answer(1) + " for the second" : "")
        .append(", and nothing before it. Then, on a new line, explain your choice briefly and without bias.\n")
        .append("Your choice:\n");
    return out.toString();
  }

  /** The whole prompt for a plain (not chat) model: instructions, a blank line, the windows. */
  public static String text(List<Example> selected, List<Example> candidates) {
    return instructions() + "\n\n" + windows(selected, candidates);
  }

  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n\\t]\\s*", " ").strip();
  }
}
