package org.fewstep.data.select;

import java.util.List;

/**
 * Add-One-In's judge (Li et al., EMNLP 2025; discrete-and-data.md section 8): shown a window of the
 * selected set and a window of candidates labelled {@code [A]}, {@code [B]}, ... in order, it replies with
 * text naming the candidate to add as {@code [[X]]} ({@link CandidateLabel}). Replies are text, so a
 * language model's answer is parsed as the paper's; a reply without a valid label changes nothing.
 */
@FunctionalInterface
public interface Chooser {

  /** The reply to a window: {@code selected} already chosen, {@code candidates} to choose one from. */
  String choose(List<Example> selected, List<Example> candidates);
}
