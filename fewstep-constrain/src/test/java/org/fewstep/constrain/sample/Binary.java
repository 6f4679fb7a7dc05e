package org.fewstep.constrain.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.AutomatonConstraint;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.StepwiseState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * Test vector D of decoding.md 16: vocabulary {"0", "1", EOS} (ids 0, 1, 2), an exact bigram model
 * and the language L = {00000} union {1xxxx}, with the exact conditional Q and EFG by enumeration.
 */
final class Binary {
  private Binary() {}

  static final int ZERO = 0;
  static final int ONE = 1;
  static final int EOS = 2;

  static final Vocabulary VOCABULARY = new Vocabulary(
      new byte[][] {{'0'}, {'1'}, "</s>".getBytes(StandardCharsets.UTF_8)}, new boolean[] {false, false, true}, EOS);

  static final Tokenizer TOKENIZER = new Tokenizer() {
    @Override
    public String name() {
      return "binary";
    }

    @Override
    public Vocabulary vocabulary() {
      return VOCABULARY;
    }

    @Override
    public int[] encode(String text) {
      int[] ids = new int[text.length()];
      for (int i = 0; i < ids.length; i++) {
        char c = text.charAt(i);
        if (c != '0' && c != '1') {
          throw BadInputException.of("character at " + i, "'" + c + "'", "'0' or '1'");
        }
        ids[i] = c - '0';
      }
      return ids;
    }

    @Override
    public String decode(int[] ids) {
      StringBuilder out = new StringBuilder();
      for (int id : ids) {
        out.append(id == EOS ? "</s>" : String.valueOf((char) ('0' + id)));
      }
      return out.toString();
    }
  };

  /** start -> (.70, .25, .05); after 0 -> (.60, .30, .10); after 1 -> (.45, .45, .10). */
  static final double[][] TABLE = {{0.70, 0.25, 0.05}, {0.60, 0.30, 0.10}, {0.45, 0.45, 0.10}};

  static final Bigram MODEL = new Bigram(TABLE);

  /** An exact bigram model over {0, 1, EOS}: row 0 at the start, row 1 + c after token c. */
  static final class Bigram implements LanguageModel {
    final double[][] table;
    private final double[][] logTable;

    Bigram(double[][] table) {
      this.table = table;
      this.logTable = Arrays.stream(table).map(r -> Arrays.stream(r).map(Math::log).toArray()).toArray(double[][]::new);
    }

    /** P(next | previous), previous = -1 at the start. */
    double p(int previous, int next) {
      return table[previous + 1][next];
    }

    @Override
    public String name() {
      return "binary-bigram";
    }

    @Override
    public Tokenizer tokenizer() {
      return TOKENIZER;
    }

    @Override
    public LmState start() {
      return new State(this);
    }

    private static final class State extends StepwiseState {
      private final Bigram model;

      State(Bigram model) {
        super(VOCABULARY);
        this.model = model;
      }

      State(State other) {
        super(other);
        this.model = other.model;
      }

      @Override
      public void next(double[] out) {
        int previous = length() == 0 ? -1 : token(length() - 1);
        if (previous == EOS) { // nothing follows the end; a speculative draft may still score past it
          java.util.Arrays.fill(out, Math.log(1.0 / 3));
          return;
        }
        System.arraycopy(model.logTable[previous + 1], 0, out, 0, out.length);
      }

      @Override
      protected void advance(int token) {}

      @Override
      protected void rewind(int length) {}

      @Override
      public LmState fork() {
        return new State(this);
      }
    }
  }

  /**
   * L as a DFA over the bytes '0' and '1': state k (0..5) after k zeros, 5 + k (k = 1..5) after a
   * '1' and k - 1 more bytes; 5 and 10 accept and must end. Without {@code ones}, only 00000.
   */
  static final class Language implements ByteAutomaton {
    private final boolean ones;

    Language(boolean ones) {
      this.ones = ones;
    }

    @Override
    public int start() {
      return 0;
    }

    @Override
    public int step(int s, int b) {
      if (b != '0' && b != '1') {
        return DEAD;
      }
      if (s == 0) {
        return b == '0' ? 1 : ones ? 6 : DEAD;
      }
      if (s < 5) {
        return b == '0' ? s + 1 : DEAD;
      }
      if (s >= 6 && s < 10) {
        return s + 1;
      }
      return DEAD; // 5 and 10: complete
    }

    @Override
    public boolean accepting(int s) {
      return s == 5 || s == 10;
    }

    @Override
    public boolean mustEnd(int s) {
      return accepting(s);
    }

    @Override
    public String describe() {
      return ones ? "00000|1[01]{4}" : "00000";
    }
  }

  static final TokenConstraint L = new AutomatonConstraint(new Language(true), VOCABULARY);

  /** The 17 strings of L, end token included, 00000 first. */
  static List<int[]> strings() {
    List<int[]> out = new ArrayList<>();
    out.add(new int[] {0, 0, 0, 0, 0, EOS});
    for (int m = 0; m < 16; m++) {
      out.add(new int[] {1, m >> 3 & 1, m >> 2 & 1, m >> 1 & 1, m & 1, EOS});
    }
    return out;
  }

  /** P(tokens) under {@code model}. */
  static double p(Bigram model, int... tokens) {
    double pr = 1;
    int previous = -1;
    for (int t : tokens) {
      pr *= model.p(previous, t);
      previous = t;
    }
    return pr;
  }

  /** Z = P(L) = 0.0254745. */
  static double z() {
    return strings().stream().mapToDouble(s -> p(MODEL, s)).sum();
  }

  /** The exact law Q over L, keyed by the decoded string. */
  static Map<String, Double> q() {
    Map<String, Double> out = new LinkedHashMap<>();
    double z = z();
    for (int[] s : strings()) {
      out.put(key(s), p(MODEL, s) / z);
    }
    return out;
  }

  /** Locally constrained decoding's exact law over L. */
  static Map<String, Double> gcd() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int[] s : strings()) {
      double pr = 1;
      int previous = -1;
      for (int i = 0; i < s.length; i++) {
        double allowed = i == 0 ? MODEL.p(-1, 0) + MODEL.p(-1, 1)
            : i == 5 ? MODEL.p(previous, EOS)
            : s[0] == 0 ? MODEL.p(previous, 0) : MODEL.p(previous, 0) + MODEL.p(previous, 1);
        pr *= MODEL.p(previous, s[i]) / allowed;
        previous = s[i];
      }
      out.put(key(s), pr);
    }
    return out;
  }

  /** Exact EFG(w): the probability that a continuation of the prefix w ends in L (1 after a complete string's end). */
  static double efg(int... prefix) {
    double num = 0;
    for (int[] s : strings()) {
      if (prefix.length <= s.length && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length)) {
        num += p(MODEL, s);
      }
    }
    return num == 0 ? 0 : num / p(MODEL, prefix);
  }

  /** Every prefix of every string of L, end token included (the empty prefix first). */
  static List<int[]> prefixes() {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (int[] s : strings()) {
      for (int k = 0; k <= s.length; k++) {
        int[] w = Arrays.copyOf(s, k);
        out.putIfAbsent(Arrays.toString(w), w);
      }
    }
    return new ArrayList<>(out.values());
  }

  static String key(int[] tokens) {
    return TOKENIZER.decode(tokens);
  }

  /** Total variation between a law and a count table (normalised by its total). */
  static double tv(Map<String, Double> law, Map<String, Integer> counts) {
    double total = counts.values().stream().mapToInt(Integer::intValue).sum();
    double sum = 0;
    for (Map.Entry<String, Double> e : law.entrySet()) {
      sum += Math.abs(e.getValue() - counts.getOrDefault(e.getKey(), 0) / total);
    }
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (!law.containsKey(e.getKey())) {
        sum += e.getValue() / total;
      }
    }
    return sum / 2;
  }
}
