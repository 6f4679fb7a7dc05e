package org.fewstep.constrain;

import java.util.concurrent.ConcurrentHashMap;
import org.fewstep.core.BadInputException;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * A {@link TokenConstraint} over a {@link ByteAutomaton} (a regular language): the state is the
 * automaton's, so the set of allowed tokens depends on it alone and is cached per automaton state
 * after its first walk of the {@link TokenTrie}. A walk steps the automaton once per live trie node
 * and skips dead subtrees whole.
 */
public final class AutomatonConstraint implements TokenConstraint {
  /** Cached masks beyond this many automaton states are dropped (each is |V| / 8 bytes). */
  static final int MAX_CACHED_MASKS = 1024;

  private final ByteAutomaton automaton;
  private final Vocabulary vocabulary;
  private final TokenTrie trie;
  private final int words;
  private final ConcurrentHashMap<Integer, long[]> masks = new ConcurrentHashMap<>();

  public AutomatonConstraint(ByteAutomaton automaton, Vocabulary vocabulary) {
    this(automaton, vocabulary, TokenTrie.of(vocabulary));
  }

  /** With a trie already built for {@code vocabulary} (tries are worth sharing: they take a moment). */
  public AutomatonConstraint(ByteAutomaton automaton, Vocabulary vocabulary, TokenTrie trie) {
    if (automaton.start() == ByteAutomaton.DEAD) {
      throw BadInputException.of("constraint", automaton.describe(), "a language with at least one string (this one is empty)");
    }
    this.automaton = automaton;
    this.vocabulary = vocabulary;
    this.trie = trie;
    this.words = (vocabulary.size() + 63) >>> 6;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public ConstraintState start() {
    return new State(automaton.start());
  }

  @Override
  public String describe() {
    return automaton.describe();
  }

  /** The automaton followed. */
  public ByteAutomaton automaton() {
    return automaton;
  }

  /** The automaton's state after {@code token}'s bytes from {@code state}, or DEAD. */
  private int walk(int state, int token) {
    byte[] bytes = vocabulary.bytes(token);
    for (int i = 0; i < bytes.length && state != ByteAutomaton.DEAD; i++) {
      state = automaton.step(state, bytes[i] & 0xFF);
    }
    return state;
  }

  private boolean ordinary(int token) {
    return vocabulary.isUsed(token) && !vocabulary.isSpecial(token);
  }

  /** The allowed tokens from automaton state {@code state}, end token included when accepting. */
  private long[] maskOf(int state) {
    long[] cached = masks.get(state);
    if (cached != null) {
      return cached;
    }
    long[] out = new long[words];
    int[] stateAt = new int[trie.maxDepth() + 1];
    stateAt[0] = state;
    for (int k = trie.tokensFrom(0); k < trie.tokensTo(0); k++) { // empty tokens change nothing
      set(out, trie.token(k));
    }
    int nodes = trie.nodes();
    for (int n = 1; n < nodes; ) {
      int depth = trie.depth(n);
      int s = automaton.step(stateAt[depth - 1], trie.label(n));
      if (s == ByteAutomaton.DEAD) {
        n = trie.subtreeEnd(n);
        continue;
      }
      stateAt[depth] = s;
      for (int k = trie.tokensFrom(n); k < trie.tokensTo(n); k++) {
        set(out, trie.token(k));
      }
      n++;
    }
    int eos = vocabulary.eos();
    if (eos >= 0 && automaton.accepting(state)) {
      set(out, eos);
    }
    if (masks.size() >= MAX_CACHED_MASKS) {
      masks.clear();
    }
    masks.put(state, out);
    return out;
  }

  private static void set(long[] words, int t) {
    words[t >>> 6] |= 1L << t;
  }

  /** A prefix: the automaton's state, or the end (after the end token). */
  private final class State implements ConstraintState {
    private final int state;

    State(int state) {
      this.state = state;
    }

    private boolean ended() {
      return state == ByteAutomaton.DEAD;
    }

    @Override
    public boolean allows(int token) {
      if (ended()) {
        return false;
      }
      if (token == vocabulary.eos()) {
        return automaton.accepting(state);
      }
      return ordinary(token) && walk(state, token) != ByteAutomaton.DEAD;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allows(token)) {
        throw BadInputException.of("token", token + (vocabulary.isUsed(token) ? " ('" + vocabulary.text(token) + "')" : ""),
            "a token that " + describe() + " allows here" + (ended() ? " (nothing follows the end)" : ""));
      }
      return new State(token == vocabulary.eos() ? ByteAutomaton.DEAD : walk(state, token));
    }

    @Override
    public boolean canEnd() {
      return !ended() && automaton.accepting(state);
    }

    @Override
    public boolean mustEnd() {
      return !ended() && automaton.mustEnd(state);
    }

    @Override
    public void mask(long[] out) {
      if (out.length < words) {
        throw BadInputException.of("mask words", out.length, "at least " + words + " for " + vocabulary.size() + " tokens");
      }
      java.util.Arrays.fill(out, 0L);
      if (!ended()) {
        System.arraycopy(maskOf(state), 0, out, 0, words);
      }
    }

    @Override
    public String toString() {
      return ended() ? "ended" : "state " + state;
    }
  }
}
