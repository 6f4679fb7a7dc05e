package org.fewstep.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fewstep.core.BadInputException;

/** Small exact models for the decoding tests: one character per token, id 0 = end of sequence. */
public final class TestModels {
  private TestModels() {}

  /** One token per character of {@code alphabet}, id 0 the end token {@code </s>}. */
  public static Tokenizer letters(String alphabet) {
    byte[][] tokens = new byte[alphabet.length() + 1][];
    boolean[] special = new boolean[tokens.length];
    tokens[0] = "</s>".getBytes(StandardCharsets.UTF_8);
    special[0] = true;
    for (int i = 0; i < alphabet.length(); i++) {
      tokens[i + 1] = String.valueOf(alphabet.charAt(i)).getBytes(StandardCharsets.UTF_8);
    }
    Vocabulary vocabulary = new Vocabulary(tokens, special, 0);
    return new Tokenizer() {
      @Override
      public String name() {
        return "letters";
      }

      @Override
      public Vocabulary vocabulary() {
        return vocabulary;
      }

      @Override
      public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
          int id = alphabet.indexOf(text.charAt(i));
          if (id < 0) {
            throw BadInputException.of("character at " + i, "'" + text.charAt(i) + "'", "one of '" + alphabet + "'");
          }
          ids[i] = id + 1;
        }
        return ids;
      }

      @Override
      public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
          out.append(id == 0 ? "</s>" : String.valueOf(alphabet.charAt(id - 1)));
        }
        return out.toString();
      }
    };
  }

  /**
   * A bigram model: {@code table[0]} is the distribution of the first token, {@code table[1 + c]}
   * the distribution after character c; entries are probabilities over ids (0 = end).
   */
  public static Bigram bigram(String alphabet, double[][] table) {
    return new Bigram(letters(alphabet), table);
  }

  /** An exact bigram language model over {@link #letters}. */
  public static final class Bigram implements LanguageModel {
    private final Tokenizer tokenizer;
    private final double[][] logTable;
    private final double[][] table;

    Bigram(Tokenizer tokenizer, double[][] table) {
      this.tokenizer = tokenizer;
      this.table = table;
      this.logTable = new double[table.length][];
      for (int r = 0; r < table.length; r++) {
        logTable[r] = Arrays.stream(table[r]).map(Math::log).toArray();
      }
    }

    /** Row index of the context: 0 at the start, else the previous token id (ids 1..). */
    private static int row(int previous) {
      return previous < 0 ? 0 : previous;
    }

    /** P(next | previous); previous = -1 at the start. */
    public double p(int previous, int next) {
      return table[row(previous)][next];
    }

    @Override
    public String name() {
      return "bigram";
    }

    @Override
    public Tokenizer tokenizer() {
      return tokenizer;
    }

    @Override
    public LmState start() {
      return new State(this);
    }

    private static final class State extends StepwiseState {
      private final Bigram model;

      State(Bigram model) {
        super(model.vocabulary());
        this.model = model;
      }

      State(State other) {
        super(other);
        this.model = other.model;
      }

      @Override
      public void next(double[] out) {
        int previous = length() == 0 ? -1 : token(length() - 1);
        System.arraycopy(model.logTable[row(previous)], 0, out, 0, out.length);
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
}
