package org.fewstep.text;

/**
 * A causal language model: a factory of {@link LmState}s over one vocabulary. Implementations are
 * immutable and thread-safe; all per-sequence state lives in the {@link LmState}.
 */
public interface LanguageModel {

  /** A short name for messages and reports, e.g. {@code kjv} or {@code hmm:weather.json}. */
  String name();

  /** The tokenizer that maps text to this model's token ids. */
  Tokenizer tokenizer();

  /** The vocabulary; logit vectors have {@code vocabulary().size()} entries. */
  default Vocabulary vocabulary() {
    return tokenizer().vocabulary();
  }

  /** A state at the start of a sequence (no tokens consumed). */
  LmState start();
}
