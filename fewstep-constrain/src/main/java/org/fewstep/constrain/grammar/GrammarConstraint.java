package org.fewstep.constrain.grammar;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.ConstraintState;
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
 * the grammar's language, ambiguity included. {@link ConstraintState#allows} and {@code advance}
 * step these sets byte by byte: that is the definition, and the reference for the masks.
 *
 * <p>Masks are computed per configuration, the lexer apart from the parser, as XGrammar splits
 * tokens into context-independent and context-dependent ones. For a configuration (E, t, q) the
 * allowed tokens are (a) those whose bytes all stay inside lexeme t from q, a set that depends on
 * (t, q) alone and is cached with the trie nodes where t accepts inside a token ("exits"), and (b)
 * those that end t at an exit and go on from the parser state after t: only the subtrees below the
 * exits are walked, with the parser, over light per-depth frames of configurations (no state is
 * made per trie node). An exit before the token's first byte adds the boundary's tokens: for each
 * lexeme that may start there, its own (a) set from its start state and walks below its exits. In a
 * JSON string body ({@link ByteAutomaton#plainRoom}) the (a) set is a precomputed bitset of the
 * plain tokens that fit ({@link PlainTokens}) plus a walk over the few other tokens, shared by all
 * states far from the length bound; this is llguidance's "slicer". Elsewhere a walk takes whole the
 * subtrees over which the lexeme only counts bytes of a class ({@link ClassChain}, with the subtree
 * summaries of {@link TrieIndex}), and steps the lexemes through {@link StepTable}s. Interned states
 * are those that tokens reach; masks asked for twice are kept, and both caches are bounded.
 */
public final class GrammarConstraint implements TokenConstraint {
  /** The most bytes of masks kept per constraint (the oldest are dropped first). */
  static final long MASK_CACHE_BYTES = 16L << 20;
  /** The most bytes of lexer-level token sets kept per constraint (all are dropped when it is passed). */
  static final long INSIDE_CACHE_BYTES = 64L << 20;

  private final String description;
  private final Cfg cfg;
  private final ByteAutomaton[] automata;
  /** The automata as tables, for the mask walks (the definition steps {@link #automata} directly). */
  private final StepTable[] tables;
  private final boolean[] ignored;
  /** The state of lexeme t after its first byte b: {@code firstStep[t][b]}, DEAD when none. */
  private final int[][] firstStep;
  private final Vocabulary vocabulary;
  private final TokenTrie trie;
  private final PlainTokens plain;
  private final int words;
  /** Words of the masks built here: {@link #words} and room for the walk's spare bit. */
  private final int wide;
  private final ConcurrentHashMap<Set<Config>, Node> interned = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Inside> insides = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong insideBytes = new java.util.concurrent.atomic.AtomicLong();
  private final ArrayDeque<Node> maskedNodes = new ArrayDeque<>();
  private final int maskCacheSize;
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
    this.firstStep = new int[n][256];
    this.tables = new StepTable[n];
    boolean[] empty = new boolean[n];
    for (int t = 0; t < n; t++) {
      automata[t] = lexemes.automaton(t, compile);
      tables[t] = new StepTable(automata[t]);
      int s0 = automata[t].start();
      empty[t] = s0 != ByteAutomaton.DEAD && automata[t].accepting(s0);
      for (int b = 0; b < 256; b++) {
        firstStep[t][b] = s0 == ByteAutomaton.DEAD ? ByteAutomaton.DEAD : automata[t].step(s0, b);
      }
    }
    this.cfg = lexemes.cfg.withEmptyTerminals(empty);
    this.ignored = new boolean[n];
    for (int t : lexemes.ignored) {
      ignored[t] = true;
    }
    this.vocabulary = vocabulary;
    this.trie = trie;
    this.plain = PlainTokens.of(vocabulary, trie);
    this.words = (vocabulary.size() + 63) >>> 6;
    this.wide = plain.all().words();
    this.maskCacheSize = (int) Math.max(16, MASK_CACHE_BYTES / (8L * words));
    this.description = "grammar " + grammar.source();
    this.start = intern(Set.of(new Config(EarleySet.start(cfg), -1, 0)));
    for (int t = 0; t < n; t++) { // compile once: the lexer-level sets every use of a lexeme starts with
      int s0 = automata[t].start();
      if (s0 == ByteAutomaton.DEAD) {
        continue;
      }
      inside(t, s0);
      int only = ByteAutomaton.DEAD;
      int live = 0;
      for (int b = 0; b < 256; b++) {
        if (firstStep[t][b] != ByteAutomaton.DEAD) {
          only = firstStep[t][b];
          live++;
        }
      }
      if (live == 1) { // a lexeme with one first byte (a string's quote, a literal's first character)
        inside(t, only);
      }
    }
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

  // ------------------------------------------------------------------ the definition: byte steps

  /** The configurations after byte {@code b}: every lexeme steps; one that accepts may also end. */
  private Set<Config> step(Set<Config> configs, int b) {
    Set<Config> out = new HashSet<>();
    for (Config c : configs) {
      if (c.lexeme() >= 0) {
        int s = automata[c.lexeme()].step(c.state(), b);
        if (s != ByteAutomaton.DEAD) {
          out.add(new Config(c.parser(), c.lexeme(), s));
        }
        if (automata[c.lexeme()].accepting(c.state())) { // the lexeme ends; b starts the next one
          EarleySet after = after(c.parser(), c.lexeme());
          if (after != null) {
            startLexemes(after, b, out);
          }
        }
      } else {
        startLexemes(c.parser(), b, out);
      }
    }
    return out;
  }

  /** The lexemes {@code parser} expects (and the ignored ones) started with byte {@code b}. */
  private void startLexemes(EarleySet parser, int b, Set<Config> out) {
    for (int t = 0; t < automata.length; t++) {
      if ((parser.expects(t) || ignored[t]) && firstStep[t][b] != ByteAutomaton.DEAD) {
        out.add(new Config(parser, t, firstStep[t][b]));
      }
    }
  }

  /** The parser after lexeme {@code t} ends: scanned, or as it was for ignored text; null if t cannot come. */
  private EarleySet after(EarleySet parser, int t) {
    return ignored[t] ? parser : parser.scan(t);
  }

  /** Whether {@code c} ends a string of the language if the text stops here. */
  private boolean endsAccepting(Config c) {
    if (c.lexeme() < 0) {
      return c.parser().accepting();
    }
    if (!automata[c.lexeme()].accepting(c.state())) {
      return false;
    }
    EarleySet after = after(c.parser(), c.lexeme());
    return after != null && after.accepting();
  }

  /** The configurations after the bytes of {@code token}; empty when it is not allowed. */
  private Set<Config> walk(Set<Config> configs, byte[] token) {
    for (int i = 0; i < token.length && !configs.isEmpty(); i++) {
      configs = step(configs, token[i] & 0xFF);
    }
    return configs;
  }

  /**
   * The reference mask of {@code state} (tests): the tokens whose bytes, stepped one by one as
   * {@link ConstraintState#allows} does, keep the state live, found by a walk over the trie that
   * shares the steps of common prefixes.
   */
  long[] referenceMask(ConstraintState state) {
    long[] m = new long[words];
    Node node = ((State) state).node;
    if (node == null) {
      return m;
    }
    @SuppressWarnings("unchecked")
    Set<Config>[] at = new Set[trie.maxDepth() + 1];
    at[0] = node.configs;
    for (int k = trie.tokensFrom(0); k < trie.tokensTo(0); k++) {
      set(m, trie.token(k));
    }
    for (int n = 1; n < trie.nodes(); ) {
      int depth = trie.depth(n);
      Set<Config> s = step(at[depth - 1], trie.label(n));
      if (s.isEmpty()) {
        n = trie.subtreeEnd(n);
        continue;
      }
      at[depth] = s;
      for (int k = trie.tokensFrom(n); k < trie.tokensTo(n); k++) {
        set(m, trie.token(k));
      }
      n++;
    }
    if (node.canEnd && vocabulary.eos() >= 0) {
      set(m, vocabulary.eos());
    }
    return m;
  }

  // ------------------------------------------------------------------ states

  /** A set of configurations, interned, with its mask once computed. */
  private final class Node {
    final Set<Config> configs;
    final EarleySet[] parsers;
    final int[] lexemes;
    final int[] states;
    final boolean canEnd;
    volatile long[] mask;
    /** Whether the mask was asked for before (it is kept from the second time on). */
    volatile boolean masked;

    Node(Set<Config> configs) {
      this.configs = configs;
      int n = configs.size();
      this.parsers = new EarleySet[n];
      this.lexemes = new int[n];
      this.states = new int[n];
      boolean end = false;
      int i = 0;
      for (Config c : configs) {
        parsers[i] = c.parser();
        lexemes[i] = c.lexeme();
        states[i++] = c.state();
        end |= endsAccepting(c);
      }
      this.canEnd = end;
    }
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

    @Override
    public boolean allows(int token) {
      if (node == null) {
        return false;
      }
      if (token == vocabulary.eos()) {
        return node.canEnd;
      }
      return vocabulary.isUsed(token) && !vocabulary.isSpecial(token)
          && !walk(node.configs, vocabulary.bytes(token)).isEmpty();
    }

    @Override
    public ConstraintState advance(int token) {
      if (!allows(token)) {
        throw BadInputException.of("token", token + (vocabulary.isUsed(token) ? " ('" + vocabulary.text(token) + "')" : ""),
            "a token that " + description + " allows here" + (node == null ? " (nothing follows the end)" : ""));
      }
      return new State(token == vocabulary.eos() ? null : intern(walk(node.configs, vocabulary.bytes(token))));
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
        if (!step(node.configs, b).isEmpty()) {
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
      if (node == null) {
        Arrays.fill(out, 0, words, 0L);
      } else {
        maskOf(node, out);
      }
    }
  }

  // ------------------------------------------------------------------ masks

  /**
   * Writes the mask of {@code node} to {@code out}: its configurations' masks together. A mask asked
   * for a second time is kept, up to {@link #MASK_CACHE_BYTES}.
   */
  private void maskOf(Node node, long[] out) {
    long[] m = node.mask;
    if (m != null) {
      System.arraycopy(m, 0, out, 0, words);
      return;
    }
    m = out.length >= wide ? out : new long[wide];
    Arrays.fill(m, 0L);
    for (int k = trie.tokensFrom(0); k < trie.tokensTo(0); k++) {
      set(m, trie.token(k));
    }
    Walker w = new Walker();
    for (int i = 0; i < node.lexemes.length; i++) {
      EarleySet parser = node.parsers[i];
      int t = node.lexemes[i];
      if (t < 0) {
        boundary(parser, m, w);
        continue;
      }
      int q = node.states[i];
      Inside in = inside(t, q);
      in.addTo(m);
      boolean exitNow = tables[t].accepting(q); // the lexeme may end before the token
      if (exitNow || in.exits.length > 0) {
        EarleySet after = after(parser, t);
        if (after != null) {
          if (exitNow) {
            boundary(after, m, w);
          }
          for (int x : in.exits) {
            w.below(in.trie, x, after, m);
          }
        }
      }
    }
    int spare = plain.all().spare;
    m[spare >>> 6] &= ~(1L << spare); // the walks' place for "no token here"
    if (node.canEnd && vocabulary.eos() >= 0) {
      set(m, vocabulary.eos());
    }
    if (m != out) {
      System.arraycopy(m, 0, out, 0, words);
    }
    if (!node.masked) {
      node.masked = true;
      return;
    }
    node.mask = Arrays.copyOf(m, words);
    synchronized (maskedNodes) {
      maskedNodes.addLast(node);
      if (maskedNodes.size() > maskCacheSize) {
        maskedNodes.removeFirst().mask = null;
      }
    }
  }

  /** Adds the tokens allowed at a lexeme boundary at {@code parser}: each lexeme that may start, from its start. */
  private void boundary(EarleySet parser, long[] m, Walker w) {
    for (int t : starts(parser)) {
      Inside in = inside(t, automata[t].start());
      in.addTo(m);
      if (in.exits.length > 0) {
        EarleySet after = after(parser, t);
        if (after != null) {
          for (int x : in.exits) {
            w.below(in.trie, x, after, m);
          }
        }
      }
    }
  }

  /** The lexemes that may start at {@code parser}: expected or ignored, with a live start. */
  private int[] starts(EarleySet parser) {
    int[] s = parser.lexemeStarts;
    if (s == null) {
      int[] buffer = new int[automata.length];
      int n = 0;
      for (int t = 0; t < automata.length; t++) {
        if ((parser.expects(t) || ignored[t]) && automata[t].start() != ByteAutomaton.DEAD) {
          buffer[n++] = t;
        }
      }
      s = Arrays.copyOf(buffer, n);
      parser.lexemeStarts = s;
    }
    return s;
  }

  /**
   * The tokens whose bytes all keep lexeme {@code t} live from {@code q} (whether or not it ends
   * there), with the nodes of {@link #trie} where t accepts and the token may go on.
   */
  private static final class Inside {
    /** A shared bitset of tokens (plain tokens that fit), or null. */
    final long[] base;
    /** More tokens: a bitset, or a list when they are few. */
    final long[] dense;
    final int[] sparse;
    final TrieIndex trie;
    final int[] exits;

    Inside(long[] base, long[] dense, int[] sparse, TrieIndex trie, int[] exits) {
      this.base = base;
      this.dense = dense;
      this.sparse = sparse;
      this.trie = trie;
      this.exits = exits;
    }

    /** About the memory this holds (the shared base not counted). */
    long bytes() {
      return 64 + 8L * (dense == null ? 0 : dense.length) + 4L * (sparse.length + exits.length);
    }

    void addTo(long[] m) {
      if (base != null) {
        or(m, base);
      }
      if (dense != null) {
        or(m, dense);
      }
      for (int token : sparse) {
        m[token >>> 6] |= 1L << token;
      }
    }

    private static void or(long[] m, long[] bits) {
      for (int i = 0; i < bits.length; i++) {
        m[i] |= bits[i];
      }
    }
  }

  /**
   * Token ids as a walk finds them: a list while they are few (most lexeme states allow a handful),
   * a bitset once they are many. {@link TrieIndex#spare} is dropped, so that walks add without a branch.
   */
  private static final class Found {
    private static final int LIST = 4096;
    private final int spare;
    private final int words;
    private int[] list = new int[64];
    private int n;
    private long[] bits;

    Found(TrieIndex index) {
      this.spare = index.spare;
      this.words = index.words();
    }

    void add(int token) {
      if (n == list.length) {
        more();
      }
      list[n] = token;
      n += token != spare ? 1 : 0;
    }

    private void more() {
      if (list.length < LIST) {
        list = Arrays.copyOf(list, 2 * list.length);
        return;
      }
      if (bits == null) {
        bits = new long[words];
      }
      for (int i = 0; i < n; i++) {
        bits[list[i] >>> 6] |= 1L << list[i];
      }
      n = 0;
    }

    /** Adds the tokens {@code tokens.token(k)} for k in [from, to). */
    void addRange(TokenTrie tokens, int from, int to) {
      if (bits == null && n + to - from > LIST) {
        more();
        if (bits == null) {
          bits = new long[words];
        }
      }
      if (bits != null) {
        long[] b = bits;
        for (int k = from; k < to; k++) {
          int t = tokens.token(k);
          b[t >>> 6] |= 1L << t;
        }
        return;
      }
      for (int k = from; k < to; k++) {
        add(tokens.token(k));
      }
    }

    Inside inside(long[] base, TrieIndex trie, int[] exits) {
      if (bits != null) {
        more();
        return new Inside(base, bits, new int[0], trie, exits);
      }
      return new Inside(base, null, Arrays.copyOf(list, n), trie, exits);
    }
  }

  /**
   * The tokens inside lexeme {@code t} from {@code q}, cached per (t, q), or per t alone for the
   * string-body states alike for every token ({@link ByteAutomaton#plainAlike}).
   */
  private Inside inside(int t, int q) {
    ByteAutomaton a = automata[t];
    int room = a.plainRoom(q);
    boolean shared = room >= plain.longest() && a.plainAlike(q);
    long key = (long) t << 32 | (shared ? 0xFFFFFFFFL : q & 0xFFFFFFFFL);
    Inside in = insides.get(key);
    if (in == null) {
      if (room < 0 && openToPlainText(t, q)) {
        room = Integer.MAX_VALUE;
      }
      if (room >= 0) { // the plain tokens that fit, and a walk over the others
        in = walkInside(tables[t], q, plain.others(), plain.upTo(room));
      } else {
        in = walkInside(tables[t], q, plain.all(), null);
      }
      if (insideBytes.addAndGet(in.bytes()) > INSIDE_CACHE_BYTES) {
        insides.clear();
        insideBytes.set(in.bytes());
      }
      Inside known = insides.putIfAbsent(key, in);
      in = known != null ? known : in;
    }
    return in;
  }

  /** The most (phase, state) pairs {@link #openToPlainText} visits before it answers no. */
  private static final int MAX_PLAIN_PAIRS = 4096;
  /** States of each lexeme known to be open to plain text (see {@link #openToPlainText}). */
  private final Set<Long> open = ConcurrentHashMap.newKeySet();

  /**
   * Whether every string of plain characters keeps lexeme {@code t} live from {@code q} without
   * reaching an accepting state (inside a JSON string of a larger lexeme, say), so that {@code q} has
   * no bound on plain text in the sense of {@link ByteAutomaton#plainRoom}: a search over the pairs of
   * a plain character phase ({@link PlainTokens#plainPhase}) and a state of the lexeme reached by
   * plain bytes. The states it meets at character boundaries are open too, and are remembered.
   */
  private boolean openToPlainText(int t, int q) {
    if (open.contains((long) t << 32 | q)) {
      return true;
    }
    StepTable a = tables[t];
    java.util.HashSet<Long> seen = new java.util.HashSet<>();
    ArrayDeque<long[]> pending = new ArrayDeque<>();
    seen.add((long) q);
    pending.add(new long[] {0, q});
    while (!pending.isEmpty()) {
      long[] at = pending.poll();
      if (at[0] == 0 && at[1] != q && open.contains((long) t << 32 | at[1])) {
        continue; // known open: so is everything it reaches
      }
      for (int b = 0; b < 256; b++) {
        int phase = PlainTokens.plainPhase((int) at[0], b);
        if (phase < 0) {
          continue;
        }
        int next = a.step((int) at[1], b);
        if (next == ByteAutomaton.DEAD || a.accepting(next)) {
          return false;
        }
        if (seen.add((long) phase << 32 | (next & 0xFFFFFFFFL))) {
          if (seen.size() > MAX_PLAIN_PAIRS) {
            return false;
          }
          pending.add(new long[] {phase, next});
        }
      }
    }
    for (long pair : seen) {
      if (pair >>> 32 == 0) {
        open.add((long) t << 32 | (pair & 0xFFFFFFFFL));
      }
    }
    return true;
  }

  /** The live first bytes a walk must see before it follows a chain (few: a literal's state). */
  private static final int CHAIN_FIRST = 8;

  /**
   * The tokens of {@code index} whose bytes keep {@code a} live from {@code q}, with {@code base} (a
   * shared bitset, or null) and the exits; subtrees that a {@link ClassChain} of q covers are taken
   * whole.
   */
  private static Inside walkInside(StepTable a, int q, TrieIndex index, long[] base) {
    TokenTrie tokens = index.trie;
    long[] packed = index.packed;
    int[] at = new int[tokens.maxDepth() + 1];
    boolean[] onChain = new boolean[tokens.maxDepth() + 1];
    ClassChain chain = null;
    Found found = new Found(index);
    at[0] = q;
    onChain[0] = true;
    int liveFirst = 0;
    int[] exits = new int[16];
    int e = 0;
    for (int n = 1, nodes = packed.length; n < nodes; ) {
      long node = packed[n];
      int d = TrieIndex.depth(node);
      int b = TrieIndex.label(node);
      int s = a.step(at[d - 1], b);
      int end = TrieIndex.end(node);
      if (s == ByteAutomaton.DEAD) {
        n = end;
        continue;
      }
      at[d] = s;
      found.add(TrieIndex.first(node));
      if (index.anyMore) {
        for (int k = tokens.tokensFrom(n) + 1; k < tokens.tokensTo(n); k++) {
          found.add(tokens.token(k));
        }
      }
      if (end > n + 1) {
        if (a.accepting(s)) {
          if (e == exits.length) {
            exits = Arrays.copyOf(exits, 2 * e);
          }
          exits[e++] = n;
        }
        if (d == 1) {
          liveFirst++;
        }
        boolean on = onChain[d - 1] && liveFirst >= CHAIN_FIRST;
        if (on) {
          if (chain == null) {
            chain = new ClassChain(a, q, tokens.maxDepth());
          }
          on = chain.on(d, b);
        }
        onChain[d] = on;
        if (on && index.coveredBy(chain, n, d)) {
          found.addRange(tokens, tokens.tokensTo(n), tokens.tokensFrom(end));
          n = end;
          continue;
        }
      }
      n++;
    }
    return found.inside(base, index, Arrays.copyOf(exits, e));
  }

  /**
   * Walks below trie nodes with the parser: the configurations at each depth as parallel arrays,
   * reused from walk to walk within one mask.
   */
  private final class Walker {
    EarleySet[][] parsers = new EarleySet[8][4];
    int[][] lexemes = new int[8][4];
    int[][] states = new int[8][4];
    int[] sizes = new int[8];

    /**
     * Adds the tokens strictly below node {@code x} of {@code tokens} whose bytes after x are allowed
     * from a lexeme boundary at {@code parser}.
     */
    void below(TrieIndex index, int x, EarleySet parser, long[] m) {
      TokenTrie tokens = index.trie;
      long[] packed = index.packed;
      int base = tokens.depth(x);
      sizes[0] = 0;
      add(0, parser, -1, 0);
      int end = tokens.subtreeEnd(x);
      for (int n = x + 1; n < end; ) {
        long node = packed[n];
        int d = TrieIndex.depth(node) - base;
        if (!step(d - 1, d, TrieIndex.label(node))) {
          n = TrieIndex.end(node);
          continue;
        }
        int t = TrieIndex.first(node);
        m[t >>> 6] |= 1L << t;
        if (index.anyMore) {
          for (int k = tokens.tokensFrom(n) + 1; k < tokens.tokensTo(n); k++) {
            set(m, tokens.token(k));
          }
        }
        n++;
      }
    }

    /** Frame {@code to} := frame {@code from} after byte {@code b}; whether it is not empty. */
    private boolean step(int from, int to, int b) {
      if (to == sizes.length) {
        grow();
      }
      sizes[to] = 0;
      EarleySet[] ps = parsers[from];
      int[] ls = lexemes[from];
      int[] ss = states[from];
      for (int i = 0; i < sizes[from]; i++) {
        int t = ls[i];
        if (t < 0) {
          startAll(to, ps[i], b);
          continue;
        }
        StepTable a = tables[t];
        int q = ss[i];
        int s = a.step(q, b);
        if (s != ByteAutomaton.DEAD) {
          add(to, ps[i], t, s);
        }
        if (a.accepting(q)) {
          EarleySet after = after(ps[i], t);
          if (after != null) {
            startAll(to, after, b);
          }
        }
      }
      return sizes[to] > 0;
    }

    private void startAll(int to, EarleySet parser, int b) {
      for (int t : starts(parser)) {
        int s = firstStep[t][b];
        if (s != ByteAutomaton.DEAD) {
          add(to, parser, t, s);
        }
      }
    }

    /** Appends a configuration to frame {@code d} unless it is there. */
    private void add(int d, EarleySet parser, int t, int s) {
      int n = sizes[d];
      EarleySet[] ps = parsers[d];
      int[] ls = lexemes[d];
      int[] ss = states[d];
      for (int i = 0; i < n; i++) {
        if (ls[i] == t && ss[i] == s && ps[i] == parser) {
          return;
        }
      }
      if (n == ps.length) {
        parsers[d] = ps = Arrays.copyOf(ps, 2 * n);
        lexemes[d] = ls = Arrays.copyOf(ls, 2 * n);
        states[d] = ss = Arrays.copyOf(ss, 2 * n);
      }
      ps[n] = parser;
      ls[n] = t;
      ss[n] = s;
      sizes[d] = n + 1;
    }

    private void grow() {
      int n = sizes.length;
      parsers = Arrays.copyOf(parsers, 2 * n);
      lexemes = Arrays.copyOf(lexemes, 2 * n);
      states = Arrays.copyOf(states, 2 * n);
      sizes = Arrays.copyOf(sizes, 2 * n);
      for (int d = n; d < 2 * n; d++) {
        parsers[d] = new EarleySet[4];
        lexemes[d] = new int[4];
        states[d] = new int[4];
      }
    }
  }

  /** Interned nodes so far (for statistics and tests). */
  public int nodes() {
    return interned.size();
  }
}
