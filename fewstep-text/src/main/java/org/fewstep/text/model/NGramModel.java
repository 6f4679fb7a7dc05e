package org.fewstep.text.model;

import java.nio.file.Path;
import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.StepwiseState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * An interpolated Kneser-Ney n-gram model of order 1 to 6 over any tokenizer with an end-of-sequence
 * token (Chen and Goodman 1999; see {@link Discount} for the two discount schemes). Each training
 * line is one sequence: its tokens, padded on the left with order - 1 begin markers (BOS, not a
 * vocabulary token) and followed by EOS. The highest order uses raw counts; lower orders use
 * continuation counts N1+(. w), except n-grams that begin with BOS, which keep raw counts (nothing
 * can precede them), as KenLM does. The unigram level interpolates with the uniform distribution
 * over the vocabulary's used ids, so every used id has a positive probability.
 *
 * <p>The model is exact: {@link LmState#next} gives normalized log-probabilities. A next-token
 * distribution costs one pass over the vocabulary plus the continuations of the last token. Nothing
 * may be appended after EOS (an error naming the position), and {@code next} there gives -Infinity
 * for every token.
 */
public final class NGramModel implements LanguageModel {
  /** The largest order. */
  public static final int MAX_ORDER = 6;

  private final String name;
  private final Tokenizer tokenizer;
  private final Discount discount;
  private final KneserNeyTrie trie;

  NGramModel(String name, Tokenizer tokenizer, Discount discount, KneserNeyTrie trie) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.discount = discount;
    this.trie = trie;
  }

  /**
   * Trains a model of {@code order} on {@code lines}, one sequence per line.
   *
   * @throws BadInputException for an order outside 1..6, a tokenizer without EOS, no lines, or a
   *     line the tokenizer cannot encode (naming the line)
   */
  public static NGramModel train(Tokenizer tokenizer, Iterable<String> lines, int order, Discount discount) {
    requireOrder(order);
    Vocabulary vocabulary = tokenizer.vocabulary();
    int eos = vocabulary.eos();
    if (eos < 0) {
      throw BadInputException.of("tokenizer", tokenizer.name(),
          "a tokenizer whose vocabulary has an end-of-sequence token");
    }
    int[] keys = new int[1 << 16];
    int rows = 0;
    int line = 0;
    int[] padded = new int[0];
    for (String text : lines) {
      line++;
      int[] ids;
      try {
        ids = tokenizer.encode(text);
      } catch (BadInputException e) {
        throw new BadInputException("line " + line + ": " + e.getMessage(), e);
      }
      int length = order - 1 + ids.length + 1;
      if (padded.length < length) {
        padded = new int[Math.max(length, 2 * padded.length)];
      }
      Arrays.fill(padded, 0, order - 1, KneserNeyTrie.BOS);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == eos) {
          throw BadInputException.of("line " + line + ", token " + i, ids[i],
              "no end-of-sequence token inside a line");
        }
        padded[order - 1 + i] = ids[i];
      }
      padded[length - 1] = eos;
      if ((long) (rows + ids.length + 1) * order > Integer.MAX_VALUE - 8) {
        throw BadInputException.of("corpus", "more than " + rows + " tokens", "fewer tokens than fit in one array");
      }
      if ((rows + ids.length + 1) * order > keys.length) {
        keys = Arrays.copyOf(keys, Math.max((rows + ids.length + 1) * order, keys.length + (keys.length >> 1)));
      }
      for (int i = order - 1; i < length; i++) {
        for (int j = 1; j < order; j++) {
          keys[rows * order + j - 1] = padded[i - j];
        }
        keys[rows * order + order - 1] = padded[i];
        rows++;
      }
    }
    if (line == 0) {
      throw BadInputException.of("lines", "none", "at least one training line");
    }
    int[] all = new int[order];
    Arrays.setAll(all, j -> j);
    int[] sorted = KneserNeyTrie.sortedRows(keys, order, rows, all, vocabulary.size() + 1);
    int[] distinct = new int[rows * order];
    int[] counts = new int[rows];
    int n = -1;
    int previous = -1;
    for (int r : sorted) {
      int from = r * order;
      if (previous < 0 || !Arrays.equals(keys, previous * order, previous * order + order, keys, from, from + order)) {
        n++;
        System.arraycopy(keys, r * order, distinct, n * order, order);
      }
      counts[n]++;
      previous = r;
    }
    KneserNeyTrie trie = new KneserNeyTrie(order, distinct, counts, n + 1, vocabulary, discount);
    return new NGramModel("ngram" + order + ":" + tokenizer.name(), tokenizer, discount, trie);
  }

  static void requireOrder(int order) {
    if (order < 1 || order > MAX_ORDER) {
      throw BadInputException.of("order", order, "an integer in [1, " + MAX_ORDER + "]");
    }
  }

  /** Reads a model written by {@link #save} (format: docs/ngram-format.md). */
  public static NGramModel load(Path file) {
    return NGramFile.read(file);
  }

  /** Writes this model (atomically: a temporary file in the same folder, then a move). */
  public void save(Path file) {
    NGramFile.write(this, file);
  }

  /** This model under another {@link #name}. */
  public NGramModel named(String newName) {
    return new NGramModel(newName, tokenizer, discount, trie);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The order n: a token depends on the n - 1 before it. */
  public int order() {
    return trie.order;
  }

  public Discount discount() {
    return discount;
  }

  /** The discounts {D1, D2, D3+} in use at order {@code k} (1 .. order()). */
  public double[] discounts(int k) {
    if (k < 1 || k > order()) {
      throw BadInputException.of("k", k, "an order in [1, " + order() + "]");
    }
    return trie.discounts(k);
  }

  KneserNeyTrie trie() {
    return trie;
  }

  @Override
  public LmState start() {
    return new State();
  }

  /**
   * The natural log of the probability of {@code tokens} from the start of a sequence, by the chain
   * rule; with {@code withEos} the sequence also ends there (the EOS term is added).
   */
  public double logProbability(int[] tokens, boolean withEos) {
    Vocabulary vocabulary = vocabulary();
    int order = order();
    int[] recent = new int[Math.max(order - 1, 1)];
    int[] path = new int[order];
    double sum = 0;
    int length = tokens.length + (withEos ? 1 : 0);
    for (int i = 0; i < length; i++) {
      int token = i < tokens.length ? tokens[i] : vocabulary.eos();
      vocabulary.requireToken("tokens[" + i + "]", token);
      if (i > 0 && tokens[i - 1] == vocabulary.eos()) {
        throw afterEos(i, token);
      }
      for (int j = 1; j < order; j++) {
        recent[j - 1] = i - j >= 0 ? tokens[i - j] : KneserNeyTrie.BOS;
      }
      sum += Math.log(trie.probability(path, trie.walk(recent, path), token));
    }
    return sum;
  }

  private BadInputException afterEos(int position, int token) {
    return BadInputException.of("token at position " + position, token,
        "nothing: the sequence ended with EOS (" + vocabulary().eos() + ") at position " + (position - 1));
  }

  @Override
  public String toString() {
    return "NGramModel[" + name + ", order " + order() + ", " + tokenizer.name() + ", discount " + discount
        + ", " + trie.entries() + " n-grams]";
  }

  /** A sequence in progress: the trie nodes of its context, found again after every change. */
  private final class State extends StepwiseState {
    private final int[] recent;
    private final int[] path;
    private final double[] weights;
    private final int[] cursor;
    private int depth;

    State() {
      super(tokenizer.vocabulary());
      int order = order();
      recent = new int[Math.max(order - 1, 1)];
      path = new int[order];
      weights = new double[order];
      cursor = new int[order];
      locate();
    }

    State(State other) {
      super(other);
      recent = other.recent.clone();
      path = other.path.clone();
      weights = new double[path.length];
      cursor = new int[path.length];
      depth = other.depth;
    }

    private void locate() {
      int length = length();
      for (int j = 1; j < order(); j++) {
        recent[j - 1] = length - j >= 0 ? token(length - j) : KneserNeyTrie.BOS;
      }
      depth = trie.walk(recent, path);
    }

    @Override
    protected void check(int token) {
      super.check(token);
      int length = length();
      if (length > 0 && token(length - 1) == vocabulary().eos()) {
        throw afterEos(length, token);
      }
    }

    @Override
    protected void advance(int token) {
      locate();
    }

    @Override
    protected void rewind(int length) {
      locate();
    }

    /** After EOS nothing can follow: every entry is -Infinity, as for the other exact models. */
    @Override
    public void next(double[] out) {
      if (out.length != vocabulary().size()) {
        throw BadInputException.of("out.length", out.length, "the vocabulary size " + vocabulary().size());
      }
      if (length() > 0 && token(length() - 1) == vocabulary().eos()) {
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        return;
      }
      trie.logProbabilities(path, depth, out, weights, cursor);
    }

    @Override
    public LmState fork() {
      return new State(this);
    }
  }
}
