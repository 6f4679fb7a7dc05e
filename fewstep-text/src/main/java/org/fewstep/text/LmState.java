package org.fewstep.text;

/**
 * One sequence in progress: the tokens consumed so far and whatever the model keeps about them (a
 * transformer's key/value cache, an n-gram context, an HMM's forward vector). This is the "scorer
 * of positions" of DESIGN.md: {@link #append} takes k new tokens and returns the logits of all
 * k + 1 next positions in one call, which is what speculative verification, tree drafts and
 * particles need; {@link #fork} and {@link #truncate} give cheap branching and rollback.
 *
 * <p>Logits are natural-log scores; {@code -Infinity} marks an impossible token (an unused id of
 * the vocabulary); NaN never appears in a valid model's output. Exact models return normalized
 * log-probabilities; a token they rule out can still be consumed (speculative decoding scores
 * such drafts), and every row after it is then {@code -Infinity}. A state is not thread-safe; fork
 * it to share work.
 */
public interface LmState extends AutoCloseable {

  /** Number of tokens consumed. */
  int length();

  /** The token consumed at {@code position} ({@code 0 <= position < length()}). */
  int token(int position);

  /**
   * Writes the logits of the next token after the current prefix into {@code out} (length
   * {@code vocabulary().size()}) without consuming anything.
   */
  void next(double[] out);

  /**
   * Consumes {@code tokens} and returns {@code tokens.length + 1} logit rows: row 0 is the next-token
   * distribution after the prefix as it was, row i the one after the prefix and
   * {@code tokens[0..i)}. A token the vocabulary does not use is a clear error and leaves the state
   * unchanged.
   */
  double[][] append(int... tokens);

  /**
   * Consumes {@code tokens} like {@link #append} but returns only the last row (the next-token logits
   * after all of them), and, if {@code tokenLogits} is not null, writes into {@code tokenLogits[i]} the
   * logit of {@code tokens[i]} in the row before it. A long prompt on a large vocabulary never holds
   * all its rows at once: a 1 000-token prompt over 150 000 ids would be 1.2 GB of rows. The default
   * calls {@code append}; an engine overrides it.
   */
  default double[] prefill(int[] tokens, double[] tokenLogits) {
    if (tokenLogits != null && tokenLogits.length < tokens.length) {
      throw org.fewstep.core.BadInputException.of("tokenLogits length", tokenLogits.length,
          "at least " + tokens.length + " (one per token)");
    }
    double[][] rows = append(tokens);
    if (tokenLogits != null) {
      for (int i = 0; i < tokens.length; i++) {
        tokenLogits[i] = rows[i][tokens[i]];
      }
    }
    return rows[tokens.length];
  }

  /** An independent copy: appending to or truncating either leaves the other as it is. */
  LmState fork();

  /** Drops the tokens at positions {@code length .. length()-1}; {@code 0 <= length <= length()}. */
  void truncate(int length);

  /**
   * Scores a tree of continuations in one call, without consuming anything — what an engine does
   * with a tree attention mask for tree and multi-draft speculation. Node i holds {@code tokens[i]}
   * and hangs under {@code parents[i]}: -1 for the current prefix, else an earlier node
   * ({@code parents[i] < i}). Returns {@code tokens.length + 1} rows: row 0 is the next-token
   * distribution after the prefix, row i + 1 the one after the path to node i. The default forks
   * the state once per node; a cached engine overrides it with one batched call.
   */
  default double[][] scoreTree(int[] parents, int[] tokens) {
    if (parents.length != tokens.length) {
      throw org.fewstep.core.BadInputException.of("parents length", parents.length,
          tokens.length + " (one parent per node)");
    }
    double[][] rows = new double[tokens.length + 1][];
    LmState[] states = new LmState[tokens.length];
    rows[0] = append()[0]; // no tokens: the state stays where it is
    for (int i = 0; i < tokens.length; i++) {
      if (parents[i] < -1 || parents[i] >= i) {
        throw org.fewstep.core.BadInputException.of("parents[" + i + "]", parents[i], "-1 or an earlier node below " + i);
      }
      states[i] = parents[i] < 0 ? fork() : states[parents[i]].fork();
      rows[i + 1] = states[i].append(tokens[i])[1];
    }
    for (LmState state : states) {
      state.close();
    }
    return rows;
  }

  /**
   * Consumes {@code prefix} and scores a tree after it, as one call (an engine runs the prefix and
   * the tree nodes in one forward pass with a tree mask): the rows are those of
   * {@link #scoreTree} after the prefix. Tree speculation uses it to feed the previous round's
   * accepted path together with the next round's drafts.
   */
  default double[][] appendAndScoreTree(int[] prefix, int[] parents, int[] tokens) {
    append(prefix);
    return scoreTree(parents, tokens);
  }

  /** The consumed tokens, in order. */
  default int[] tokens() {
    int[] out = new int[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = token(i);
    }
    return out;
  }

  /**
   * Frees what the state holds outside the Java heap (an engine's key/value cache); the state is
   * unusable afterwards. Exact models hold nothing, so the default does nothing. Decoders close the
   * forks they drop.
   */
  @Override
  default void close() {}
}
