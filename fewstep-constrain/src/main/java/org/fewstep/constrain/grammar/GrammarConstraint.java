package org.fewstep.constrain.grammar;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenSlice;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * A context-free {@link TokenConstraint}: lexemes read by their automata, an Earley parser over
 * lexemes (docs/constrain.md). A state is a set of configurations, each an Earley set, the lexeme
 * being read and its automaton state (or none, at a lexeme boundary); a byte steps every
 * configuration and, where a lexeme has read at least one byte and accepts, also ends it (the parser
 * scans it, unless it is ignored text) and starts the lexemes expected next. So lexing is exact for
 * the grammar's language, ambiguity included. States are interned, and each caches its successor per
 * byte and its token mask: walks build a lazy automaton over states, and a state met again costs a
 * look-up.
 */
public final class GrammarConstraint implements TokenConstraint {
  private final String description;
  private final Cfg cfg;
  private final ByteAutomaton[] automata;
  private final boolean[] ignored;
  private final Vocabulary vocabulary;
  private final TokenTrie trie;
  private final int words;
  private final ConcurrentHashMap<Set<Config>, Node> interned = new ConcurrentHashMap<>();
  private final Node start;

  /** A lexeme being read at a parser state; {@code lexeme} -1 at a boundary. */
  private record Config(EarleySet parser, int lexeme, int state) {}

  /**
   * @param grammar    the grammar
   * @param compile    a lexeme's regular expression (ECMAScript, matched whole) to its automaton
   * @param vocabulary the tokens to allow or not
   * @param trie       the vocabulary's trie
   */
  public GrammarConstraint(Grammar grammar, Function<String, ByteAutomaton> compile, Vocabulary vocabulary,
      TokenTrie trie) {
    Lexemes lexemes = Lexemes.of(grammar);
    int n = lexemes.patterns.size();
    this.automata = new ByteAutomaton[n];
    boolean[] empty = new boolean[n];
    for (int t = 0; t < n; t++) {
      automata[t] = lexemes.automaton(t, compile);
      empty[t] = automata[t].start() != ByteAutomaton.DEAD && automata[t].accepting(automata[t].start());
    }
    this.cfg = lexemes.cfg.withEmptyTerminals(empty);
    this.ignored = new boolean[n];
    for (int t : lexemes.ignored) {
      ignored[t] = true;
    }
    this.vocabulary = vocabulary;
    this.trie = trie;
    this.words = (vocabulary.size() + 63) >>> 6;
    this.description = "grammar " + grammar.source();
    this.start = intern(Set.of(new Config(EarleySet.start(cfg), -1, 0)));
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public ConstraintState start() {
    return new State(start);
  }

  @Override
  public String describe() {
    return description;
  }

  private Node intern(Set<Config> configs) {
    return configs.isEmpty() ? null : interned.computeIfAbsent(Set.copyOf(configs), Node::new);
  }

  /** A set of configurations with its cached successors and mask. */
  private final class Node {
    final Set<Config> configs;
    final AtomicReferenceArray<Object> next = new AtomicReferenceArray<>(256);
    final boolean canEnd;
    volatile long[] mask;

    Node(Set<Config> configs) {
      this.configs = configs;
      boolean end = false;
      for (Config c : configs) {
        end |= c.lexeme() < 0 ? c.parser().accepting() : endsAccepting(c);
      }
      this.canEnd = end;
    }

    private boolean endsAccepting(Config c) {
      if (!automata[c.lexeme()].accepting(c.state())) {
        return false;
      }
      EarleySet after = ignored[c.lexeme()] ? c.parser() : c.parser().scan(c.lexeme());
      return after != null && after.accepting();
    }

    /** The node after byte {@code b}, or null. */
    Node step(int b) {
      Object cached = next.get(b);
      if (cached != null) {
        return cached == DEAD ? null : (Node) cached;
      }
      Set<Config> out = new HashSet<>();
      for (Config c : configs) {
        if (c.lexeme() >= 0) {
          int s = automata[c.lexeme()].step(c.state(), b);
          if (s != ByteAutomaton.DEAD) {
            out.add(new Config(c.parser(), c.lexeme(), s));
          }
          if (automata[c.lexeme()].accepting(c.state())) { // the lexeme ends; b starts the next one
            EarleySet after = ignored[c.lexeme()] ? c.parser() : c.parser().scan(c.lexeme());
            if (after != null) {
              startLexemes(after, b, out);
            }
          }
        } else {
          startLexemes(c.parser(), b, out);
        }
      }
      Node node = intern(out);
      next.compareAndSet(b, null, node == null ? DEAD : node);
      return node;
    }

    /** The lexemes {@code parser} expects (and the ignored ones) started with byte {@code b}. */
    private void startLexemes(EarleySet parser, int b, Set<Config> out) {
      BitSet expected = parser.expected();
      for (int t = 0; t < automata.length; t++) {
        if (expected.get(t) || ignored[t]) {
          int s0 = automata[t].start();
          int s = s0 == ByteAutomaton.DEAD ? ByteAutomaton.DEAD : automata[t].step(s0, b);
          if (s != ByteAutomaton.DEAD) {
            out.add(new Config(parser, t, s));
          }
        }
      }
    }

    long[] mask() {
      long[] m = mask;
      if (m != null) {
        return m;
      }
      int room = plainRoom();
      TokenSlice slice = room >= 0 ? TokenSlice.of(vocabulary) : liveSlice();
      if (slice != null) { // the slice's tokens at once (those of at most room characters), a walk over the others
        m = slice.upTo(room >= 0 ? room : slice.longest()).clone();
        walk(slice.others(), m);
      } else {
        m = new long[words];
        walk(trie, m);
      }
      if (canEnd && vocabulary.eos() >= 0) {
        set(m, vocabulary.eos());
      }
      mask = m;
      return m;
    }

    /**
     * The most plain characters any configuration can read ({@link ByteAutomaton#plainRoom}), or -1
     * when some configuration's automaton does not say: then every token is walked.
     */
    private int plainRoom() {
      int best = -1;
      for (Config c : configs) {
        int r = c.lexeme() < 0 ? -1 : automata[c.lexeme()].plainRoom(c.state());
        if (r < 0) {
          return -1;
        }
        best = Math.max(best, r);
      }
      return best;
    }

    /** A slice all of whose strings keep some configuration live (so all its tokens are allowed), or null. */
    private TokenSlice liveSlice() {
      for (TokenSlice.Kind kind : TokenSlice.KINDS) {
        TokenSlice slice = TokenSlice.of(vocabulary, kind);
        for (Config c : configs) {
          if (c.lexeme() >= 0 && allLive(slice, kind, c.lexeme(), c.state())) {
            return slice;
          }
        }
      }
      return null;
    }

    /** Sets in {@code m} the tokens of {@code t} that keep this node live: one step per live trie node. */
    void walk(TokenTrie t, long[] m) {
      for (int k = t.tokensFrom(0); k < t.tokensTo(0); k++) {
        set(m, t.token(k));
      }
      Node[] at = new Node[t.maxDepth() + 1];
      at[0] = this;
      for (int n = 1; n < t.nodes(); ) {
        int depth = t.depth(n);
        Node s = at[depth - 1].step(t.label(n) & 0xFF);
        if (s == null) {
          n = t.subtreeEnd(n);
          continue;
        }
        at[depth] = s;
        for (int k = t.tokensFrom(n); k < t.tokensTo(n); k++) {
          set(m, t.token(k));
        }
        n++;
      }
    }
  }

  private static final Object DEAD = new Object();

  /** {@link TokenSlice#allLive} per lexeme, automaton state and slice, computed once. */
  private final ConcurrentHashMap<Long, Boolean> sliceLive = new ConcurrentHashMap<>();

  private boolean allLive(TokenSlice slice, TokenSlice.Kind kind, int lexeme, int state) {
    long key = ((long) state << 24) | ((long) lexeme << 4) | kind.ordinal();
    return sliceLive.computeIfAbsent(key, k -> slice.allLive(automata[lexeme], state));
  }

  private static void set(long[] words, int t) {
    words[t >>> 6] |= 1L << t;
  }

  /** A prefix: a node, or the end (node null) after the end token. */
  private final class State implements ConstraintState {
    private final Node node;

    State(Node node) {
      this.node = node;
    }

    private Node walk(int token) {
      Node n = node;
      for (byte b : vocabulary.bytes(token)) {
        if (n == null) {
          return null;
        }
        n = n.step(b & 0xFF);
      }
      return n;
    }

    @Override
    public boolean allows(int token) {
      if (node == null) {
        return false;
      }
      if (token == vocabulary.eos()) {
        return node.canEnd;
      }
      return vocabulary.isUsed(token) && !vocabulary.isSpecial(token) && walk(token) != null;
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allows(token)) {
        throw BadInputException.of("token", token + (vocabulary.isUsed(token) ? " ('" + vocabulary.text(token) + "')" : ""),
            "a token that " + description + " allows here" + (node == null ? " (nothing follows the end)" : ""));
      }
      return new State(token == vocabulary.eos() ? null : walk(token));
    }

    @Override
    public boolean canEnd() {
      return node != null && node.canEnd;
    }

    @Override
    public boolean mustEnd() {
      if (node == null || !node.canEnd) {
        return false;
      }
      for (int b = 0; b < 256; b++) {
        if (node.step(b) != null) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void mask(long[] out) {
      if (out.length < words) {
        throw BadInputException.of("mask words", out.length, "at least " + words + " for " + vocabulary.size() + " tokens");
      }
      Arrays.fill(out, 0L);
      if (node != null) {
        System.arraycopy(node.mask(), 0, out, 0, words);
      }
    }
  }

  /** The mask of {@code state} by a walk of the whole trie, no slice: the reference the tests compare with. */
  long[] referenceMask(ConstraintState state) {
    long[] m = new long[words];
    Node node = ((State) state).node;
    if (node != null) {
      node.walk(trie, m);
      if (node.canEnd && vocabulary.eos() >= 0) {
        set(m, vocabulary.eos());
      }
    }
    return m;
  }

  /** Interned nodes so far (for statistics and tests). */
  public int nodes() {
    return interned.size();
  }
}
