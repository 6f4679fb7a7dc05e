package org.fewstep.text.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.token.SymbolTokenizer;

/**
 * A hidden Markov model as an exact language model over its observation symbols. The sequence is
 * generated thus: draw a state {@code s ~ initial}; then, in state {@code s}, the sequence ends with
 * probability {@code end[s]} (the end token), otherwise it emits {@code v ~ emission[s]}, moves to
 * {@code s' ~ transition[s]} and goes on. Without {@code end} sequences never end and the
 * vocabulary has no end token.
 *
 * <p>Next-token probabilities come from forward filtering (the forward procedure of Rabiner 1989) with the
 * forward vector normalized after every token: with {@code f(s) = P(state = s | prefix)},
 * {@code P(v | prefix) = sum_s f(s) (1 - end[s]) emission[s][v]}, {@code P(end | prefix) =
 * sum_s f(s) end[s]}, and after {@code v}, {@code f'(s') ~ sum_s f(s) (1 - end[s]) emission[s][v]
 * transition[s][s']}. A state keeps the vector of every position, so truncation costs nothing.
 *
 * <p>JSON form: {@code {"vocab": [V symbols], "initial": [S], "transition": [[S] x S],
 * "emission": [[V] x S], "end": [S] (optional), "description": "..." (optional)}}. Rows are
 * probability distributions (entries >= 0 summing to 1 within 1e-9), {@code end} entries lie in
 * [0, 1]; the tokenizer is a {@link SymbolTokenizer} over {@code vocab}.
 */
public final class HiddenMarkovModel implements LanguageModel {
  private static final Set<String> FIELDS = Set.of("vocab", "initial", "transition", "emission", "end", "description");
  private static final double SUM_TOLERANCE = 1e-9;

  private final String name;
  private final SymbolTokenizer tokenizer;
  private final double[] initial;
  private final double[][] transition;
  /** {@code (1 - end[s]) emission[s][v]}: the probability of going on and emitting v in state s. */
  private final double[][] emit;
  private final double[] end;
  /** {@code sum_v emit[s][v] + end[s]} (1 to rounding): normalizes single-token probabilities. */
  private final double[] mass;

  /**
   * @param name       a short name for messages
   * @param vocab      the observation symbols (token ids in this order)
   * @param initial    the distribution of the first state (S entries)
   * @param transition S rows: the distribution of the next state
   * @param emission   S rows of V entries: the distribution of the emitted symbol
   * @param end        per-state probability of ending, or null for sequences that never end
   */
  public HiddenMarkovModel(String name, List<String> vocab, double[] initial, double[][] transition,
      double[][] emission, double[] end) {
    int states = initial.length;
    if (states == 0) {
      throw BadInputException.of("initial", "[]", "a distribution over at least one state");
    }
    if (vocab.isEmpty()) {
      throw BadInputException.of("vocab", "[]", "at least one symbol");
    }
    try {
      this.tokenizer = new SymbolTokenizer(vocab, end != null);
    } catch (BadInputException e) {
      throw new BadInputException("vocab: " + e.getMessage(), e);
    }
    this.name = name;
    this.initial = distribution("initial", initial, states);
    this.transition = distributions("transition", transition, states, states);
    double[][] emissionRows = distributions("emission", emission, states, vocab.size());
    this.end = new double[states];
    if (end != null) {
      if (end.length != states) {
        throw BadInputException.of("end", end.length + " entries", states + " (one per state)");
      }
      for (int s = 0; s < states; s++) {
        if (!(end[s] >= 0 && end[s] <= 1)) {
          throw BadInputException.of("end[" + s + "]", end[s], "a probability in [0, 1]");
        }
        this.end[s] = end[s];
      }
    }
    this.emit = new double[states][vocab.size()];
    this.mass = new double[states];
    for (int s = 0; s < states; s++) {
      mass[s] = this.end[s];
      for (int v = 0; v < vocab.size(); v++) {
        emit[s][v] = (1 - this.end[s]) * emissionRows[s][v];
        mass[s] += emit[s][v];
      }
    }
  }

  /** Loads the JSON form (see the class comment); the model is named {@code hmm:<file name>}. */
  public static HiddenMarkovModel load(Path file) {
    return fromJson(Json.read(file), file.toString(), "hmm:" + file.getFileName());
  }

  /** Parses the JSON form from text; the model is named {@code hmm}. */
  public static HiddenMarkovModel fromJson(String json) {
    return fromJson(json, "hmm");
  }

  /** Parses the JSON form from text and names the model {@code name}. */
  public static HiddenMarkovModel fromJson(String json, String name) {
    return fromJson(Json.parse(json, "HMM JSON"), "HMM JSON", name);
  }

  private static HiddenMarkovModel fromJson(JsonNode root, String source, String name) {
    Json.requireOnly(root, source, FIELDS);
    if (root.has("description")) {
      Json.text(root.get("description"), source + ": description");
    }
    JsonNode vocabNode = Json.field(root, "vocab", source);
    if (!vocabNode.isArray()) {
      throw BadInputException.of(source + ": vocab", vocabNode, "an array of symbol strings");
    }
    List<String> vocab = new ArrayList<>();
    for (int i = 0; i < vocabNode.size(); i++) {
      vocab.add(Json.text(vocabNode.get(i), source + ": vocab[" + i + "]"));
    }
    double[] initial = Json.numbers(Json.field(root, "initial", source), source + ": initial", -1);
    int states = initial.length;
    double[][] transition =
        Json.matrix(Json.field(root, "transition", source), source + ": transition", states, states);
    double[][] emission =
        Json.matrix(Json.field(root, "emission", source), source + ": emission", states, vocab.size());
    double[] end = root.has("end") ? Json.numbers(root.get("end"), source + ": end", states) : null;
    try {
      return new HiddenMarkovModel(name, vocab, initial, transition, emission, end);
    } catch (BadInputException e) {
      throw new BadInputException(source + ": " + e.getMessage(), e);
    }
  }

  private static double[][] distributions(String what, double[][] rows, int count, int length) {
    if (rows.length != count) {
      throw BadInputException.of(what, rows.length + " rows", count + " rows (one per state)");
    }
    double[][] out = new double[count][];
    for (int i = 0; i < count; i++) {
      out[i] = distribution(what + "[" + i + "]", rows[i], length);
    }
    return out;
  }

  private static double[] distribution(String what, double[] row, int length) {
    if (row.length != length) {
      throw BadInputException.of(what, row.length + " entries", length + " entries");
    }
    double sum = 0;
    for (int i = 0; i < length; i++) {
      if (!(row[i] >= 0) || Double.isInfinite(row[i])) {
        throw BadInputException.of(what + "[" + i + "]", row[i], "a finite probability >= 0");
      }
      sum += row[i];
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw BadInputException.of("sum of " + what, sum, "1 (within 1e-9)");
    }
    return row.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SymbolTokenizer tokenizer() {
    return tokenizer;
  }

  /** Number of hidden states. */
  public int states() {
    return initial.length;
  }

  /** The exact masked LM of this HMM (forward-backward conditionals, see {@link HmmMaskedLm}). */
  public HmmMaskedLm masked() {
    double[][] emission = new double[emit.length][];
    for (int s = 0; s < emit.length; s++) {
      emission[s] = emit[s].clone();
    }
    return new HmmMaskedLm(this, initial.clone(), transition, emission, end.clone());
  }

  @Override
  public LmState start() {
    return new State();
  }

  /**
   * The log-probability that a sequence starts with {@code tokens} (symbol ids, no end token) or,
   * with {@code withEos}, that it is exactly {@code tokens}; {@code -Infinity} if impossible.
   */
  public double logProbability(int[] tokens, boolean withEos) {
    return new State().logProbability(tokens, withEos);
  }

  /** The normalized forward vector after emitting {@code token} from state distribution f. */
  private double[] step(double[] f, int token) {
    int states = f.length;
    double[] next = new double[states];
    double total = 0;
    for (int s = 0; s < states; s++) {
      double w = f[s] * emit[s][token];
      if (w != 0) {
        for (int t = 0; t < states; t++) {
          next[t] += w * transition[s][t];
        }
      }
    }
    for (double x : next) {
      total += x;
    }
    for (int t = 0; t < states; t++) {
      next[t] /= total;
    }
    return next;
  }

  /** Forward vectors per position ({@code null} after the end token). */
  private final class State extends ExactState {
    private double[][] forward;

    State() {
      super(tokenizer.vocabulary());
      forward = new double[16][];
      forward[0] = initial;
    }

    State(State other) {
      super(other);
      forward = Arrays.copyOf(other.forward, Math.max(16, other.length() + 1));
    }

    @Override
    protected void probabilities(double[] out) {
      double[] f = forward[length()];
      int symbols = emit[0].length;
      Arrays.fill(out, 0);
      for (int s = 0; s < f.length; s++) {
        if (f[s] != 0) {
          for (int v = 0; v < symbols; v++) {
            out[v] += f[s] * emit[s][v];
          }
          if (symbols < out.length) {
            out[symbols] += f[s] * end[s];
          }
        }
      }
      double total = 0;
      for (double p : out) {
        total += p;
      }
      for (int v = 0; v < out.length; v++) {
        out[v] /= total;
      }
    }

    @Override
    protected double probability(int token) {
      double[] f = forward[length()];
      boolean isEnd = token == vocabulary().eos();
      double p = 0;
      double total = 0;
      for (int s = 0; s < f.length; s++) {
        p += f[s] * (isEnd ? end[s] : emit[s][token]);
        total += f[s] * mass[s];
      }
      return p / total;
    }

    @Override
    protected void consume(int token) {
      int position = length();
      if (position == forward.length) {
        forward = Arrays.copyOf(forward, 2 * position);
      }
      forward[position] = ended() ? null : step(forward[position - 1], token);
    }

    @Override
    protected void restore(int length) {
      // forward[0..length] still hold the vectors of the kept prefix
    }

    @Override
    public LmState fork() {
      return new State(this);
    }
  }
}
