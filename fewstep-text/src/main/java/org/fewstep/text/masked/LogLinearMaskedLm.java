package org.fewstep.text.masked;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.token.SymbolTokenizer;
import org.fewstep.text.token.Tokenizers;

/**
 * A small trainable mask predictor, the log-linear model of discrete-and-data.md 0.3: with window
 * {@code w}, a bias per position and token and one pairwise potential per relative offset,
 *
 * <pre>
 *   logit_i(v) = b[i][v] + sum over j != i, |j - i| <= w, x_j != MASK of W[j - i][x_j][v].
 * </pre>
 *
 * The logits of position {@code i} never read {@code x_i}, so an unmasked position gets a
 * leave-one-out prediction, and masked neighbours contribute nothing. One call costs
 * {@code O((to - from) w V)}. Train it with {@link MdmTraining} (the MDM loss of LLaDA, Nie et al.
 * 2025, and MDLM, Sahoo et al. 2024). Ids the data never hold (an end token) are ordinary ids.
 * Instances are immutable.
 *
 * <p>File form ({@link #save}, {@link #load}): UTF-8 JSON, written deterministically (the same model
 * gives the same bytes; numbers in Java's round-trip decimal form, so loading restores every bit):
 *
 * <pre>
 * {
 *   "format": "fewstep-loglinear-masked-lm",
 *   "version": 1,
 *   "tokenizer": {"name": "symbol", "tokens": ["a", ...], "eos": false},
 *   "vocabSize": V,
 *   "window": w,
 *   "maxLength": N,
 *   "bias": [[V numbers] x N],                 b[i][v], positions 0 .. N-1
 *   "pair": [[[V numbers] x V] x 2w]           W[d][u][v], offsets d = -w .. -1, 1 .. w in this order
 * }
 * </pre>
 *
 * The tokenizer is a symbol tokenizer ({@code tokens} = its symbols, {@code eos} = whether it has the
 * end token) or one that {@link Tokenizers#tokens} can store ({@code tokens} as that method gives
 * them, no {@code eos}). All numbers must be finite.
 */
public final class LogLinearMaskedLm implements MaskedLm {
  /** The value of the file's {@code format} field. */
  public static final String FORMAT = "fewstep-loglinear-masked-lm";
  /** The file version this class writes and reads. */
  public static final int VERSION = 1;

  private static final Set<String> FIELDS =
      Set.of("format", "version", "tokenizer", "vocabSize", "window", "maxLength", "bias", "pair");
  private static final Set<String> TOKENIZER_FIELDS = Set.of("name", "tokens", "eos");

  private final String name;
  private final Tokenizer tokenizer;
  private final int vocab;
  private final int window;
  private final int maxLength;
  /** {@code b[i][v]} at {@code i * V + v}. */
  private final double[] bias;
  /** {@code W[d][u][v]} at {@code ((slot(d) * V) + u) * V + v}. */
  private final double[] pair;

  private LogLinearMaskedLm(String name, Tokenizer tokenizer, int window, int maxLength, double[] bias, double[] pair) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.vocab = tokenizer.vocabulary().size();
    this.window = window;
    this.maxLength = maxLength;
    this.bias = bias;
    this.pair = pair;
  }

  /** The model with all parameters zero (uniform logits), named {@code loglinear}. */
  public static LogLinearMaskedLm zeros(Tokenizer tokenizer, int window, int maxLength) {
    int v = tokenizer.vocabulary().size();
    requireShape(window, maxLength);
    return new LogLinearMaskedLm("loglinear", tokenizer, window, maxLength, new double[maxLength * v],
        new double[2 * window * v * v]);
  }

  /**
   * The model with the given parameters (copied), named {@code loglinear}.
   *
   * @param bias {@code maxLength} rows of {@code V} entries: {@code b[i][v]}
   * @param pair {@code 2 window} blocks of {@code V x V}: {@code W[d][u][v]} for offsets
   *             {@code d = -window .. -1, 1 .. window} in this order
   */
  public static LogLinearMaskedLm of(Tokenizer tokenizer, int window, int maxLength, double[][] bias, double[][][] pair) {
    int v = tokenizer.vocabulary().size();
    requireShape(window, maxLength);
    if (bias.length != maxLength) {
      throw BadInputException.of("bias", bias.length + " rows", maxLength + " rows (one per position)");
    }
    if (pair.length != 2 * window) {
      throw BadInputException.of("pair", pair.length + " blocks", 2 * window + " blocks (one per offset)");
    }
    double[] b = new double[maxLength * v];
    for (int i = 0; i < maxLength; i++) {
      copyRow("bias[" + i + "]", bias[i], b, i * v, v);
    }
    double[] w = new double[2 * window * v * v];
    for (int k = 0; k < pair.length; k++) {
      if (pair[k].length != v) {
        throw BadInputException.of("pair[" + k + "]", pair[k].length + " rows", v + " rows (one per token)");
      }
      for (int u = 0; u < v; u++) {
        copyRow("pair[" + k + "][" + u + "]", pair[k][u], w, (k * v + u) * v, v);
      }
    }
    return new LogLinearMaskedLm("loglinear", tokenizer, window, maxLength, b, w);
  }

  /** A model with these flat parameters (not copied; the caller gives up the arrays). */
  static LogLinearMaskedLm ofFlat(Tokenizer tokenizer, int window, int maxLength, double[] bias, double[] pair) {
    return new LogLinearMaskedLm("loglinear", tokenizer, window, maxLength, bias, pair);
  }

  private static void requireShape(int window, int maxLength) {
    BadInputException.requireAtLeast("window", window, 1);
    BadInputException.requireAtLeast("maxLength", maxLength, 1);
  }

  private static void copyRow(String what, double[] row, double[] out, int at, int v) {
    if (row.length != v) {
      throw BadInputException.of(what, row.length + " entries", v + " entries (one per token)");
    }
    for (int u = 0; u < v; u++) {
      if (!Double.isFinite(row[u])) {
        throw BadInputException.of(what + "[" + u + "]", row[u], "a finite number");
      }
      out[at + u] = row[u];
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** This model under another name (same parameters). */
  public LogLinearMaskedLm named(String newName) {
    return new LogLinearMaskedLm(newName, tokenizer, window, maxLength, bias, pair);
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int vocabSize() {
    return vocab;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  /** The window {@code w}: positions {@code j} with {@code 0 < |j - i| <= w} inform position {@code i}. */
  public int window() {
    return window;
  }

  /** The bias {@code b[position][token]}. */
  public double bias(int position, int token) {
    return bias[position * vocab + token];
  }

  /** The pairwise potential {@code W[offset][neighbour][token]}, {@code 0 < |offset| <= window}. */
  public double pair(int offset, int neighbour, int token) {
    if (offset == 0 || Math.abs(offset) > window) {
      throw BadInputException.of("offset", offset, "a non-zero offset within +-" + window);
    }
    return pair[(slot(offset) * vocab + neighbour) * vocab + token];
  }

  /**
   * All parameters as one vector (a copy): the biases {@code b[i][v]} at {@code i V + v}, then the
   * potentials {@code W[d][u][v]} at {@code N V + (slot(d) V + u) V + v}, with
   * {@code slot(d) = d + w} for {@code d < 0} and {@code d + w - 1} for {@code d > 0}. Gradients of
   * {@link MdmTraining#lossAndGradient} use this layout.
   */
  public double[] parameters() {
    double[] out = new double[bias.length + pair.length];
    System.arraycopy(bias, 0, out, 0, bias.length);
    System.arraycopy(pair, 0, out, bias.length, pair.length);
    return out;
  }

  /** The number of parameters: {@code N V + 2 w V^2}. */
  public int parameterCount() {
    return bias.length + pair.length;
  }

  /** A model of the same shape and tokenizer with these parameters (layout of {@link #parameters}). */
  public LogLinearMaskedLm withParameters(double[] parameters) {
    if (parameters.length != parameterCount()) {
      throw BadInputException.of("parameters", parameters.length + " entries", parameterCount() + " entries");
    }
    for (int k = 0; k < parameters.length; k++) {
      if (!Double.isFinite(parameters[k])) {
        throw BadInputException.of("parameters[" + k + "]", parameters[k], "a finite number");
      }
    }
    double[] b = new double[bias.length];
    double[] w = new double[pair.length];
    System.arraycopy(parameters, 0, b, 0, b.length);
    System.arraycopy(parameters, b.length, w, 0, w.length);
    return new LogLinearMaskedLm("loglinear", tokenizer, window, maxLength, b, w);
  }

  /** The block index of offset {@code d}: {@code -w .. -1, 1 .. w} map to {@code 0 .. 2w-1}. */
  int slot(int d) {
    return d < 0 ? d + window : d + window - 1;
  }

  @Override
  public void logits(int[][] x, int from, int to, double[][] out) {
    for (int r = 0; r < x.length; r++) {
      int[] row = x[r];
      if (row.length > maxLength) {
        throw BadInputException.of("length of x[" + r + "]", row.length, "at most maxLength = " + maxLength);
      }
      if (from < 0 || to > row.length || from > to) {
        throw BadInputException.of("positions", "[" + from + ", " + to + ")", "a range inside [0, " + row.length + "]");
      }
      if (out[r].length < (to - from) * vocab) {
        throw BadInputException.of("out[" + r + "]", out[r].length + " entries", "at least " + (to - from) * vocab);
      }
      for (int j = Math.max(0, from - window), end = Math.min(row.length, to + window); j < end; j++) {
        if (row[j] < 0 || row[j] > vocab) {
          throw BadInputException.of("x[" + r + "][" + j + "]", row[j],
              "a token id in [0, " + vocab + ") or the mask id " + vocab);
        }
      }
      for (int i = from; i < to; i++) {
        positionLogits(row, i, out[r], (i - from) * vocab);
      }
    }
  }

  /** Writes the logits of position {@code i} of a checked row into {@code out[at .. at + V)}. */
  void positionLogits(int[] x, int i, double[] out, int at) {
    System.arraycopy(bias, i * vocab, out, at, vocab);
    for (int j = Math.max(0, i - window), end = Math.min(x.length - 1, i + window); j <= end; j++) {
      int u = x[j];
      if (j == i || u == vocab) {
        continue;
      }
      int base = (slot(j - i) * vocab + u) * vocab;
      for (int v = 0; v < vocab; v++) {
        out[at + v] += pair[base + v];
      }
    }
  }

  /** Writes the model to {@code file} in the JSON form of the class comment. */
  public void save(Path file) {
    try {
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The JSON form of the class comment (the bytes {@link #save} writes, as text). */
  public String toJson() {
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"format\": ").append(quote(FORMAT)).append(",\n");
    out.append("  \"version\": ").append(VERSION).append(",\n");
    out.append("  \"tokenizer\": ").append(tokenizerJson()).append(",\n");
    out.append("  \"vocabSize\": ").append(vocab).append(",\n");
    out.append("  \"window\": ").append(window).append(",\n");
    out.append("  \"maxLength\": ").append(maxLength).append(",\n");
    out.append("  \"bias\": [\n");
    for (int i = 0; i < maxLength; i++) {
      out.append("    ");
      row(out, bias, i * vocab).append(i + 1 < maxLength ? ",\n" : "\n");
    }
    out.append("  ],\n");
    out.append("  \"pair\": [\n");
    for (int k = 0; k < 2 * window; k++) {
      out.append("    [\n");
      for (int u = 0; u < vocab; u++) {
        out.append("      ");
        row(out, pair, (k * vocab + u) * vocab).append(u + 1 < vocab ? ",\n" : "\n");
      }
      out.append(k + 1 < 2 * window ? "    ],\n" : "    ]\n");
    }
    out.append("  ]\n");
    out.append("}\n");
    return out.toString();
  }

  private StringBuilder row(StringBuilder out, double[] values, int at) {
    out.append('[');
    for (int v = 0; v < vocab; v++) {
      out.append(v == 0 ? "" : ", ").append(Double.toString(values[at + v]));
    }
    return out.append(']');
  }

  private String tokenizerJson() {
    StringBuilder out = new StringBuilder("{\"name\": ").append(quote(tokenizer.name())).append(", \"tokens\": [");
    List<String> tokens;
    boolean symbol = tokenizer instanceof SymbolTokenizer;
    tokens = symbol ? ((SymbolTokenizer) tokenizer).symbols() : Tokenizers.tokens(tokenizer);
    for (int t = 0; t < tokens.size(); t++) {
      out.append(t == 0 ? "" : ", ").append(quote(tokens.get(t)));
    }
    out.append(']');
    if (symbol) {
      out.append(", \"eos\": ").append(tokenizer.vocabulary().eos() >= 0);
    }
    return out.append('}').toString();
  }

  private static String quote(String s) {
    try {
      return Json.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot quote a string", e);
    }
  }

  /** Reads a file {@link #save} wrote; the model is named {@code loglinear:<file name>}. */
  public static LogLinearMaskedLm load(Path file) {
    return fromJson(Json.read(file), file.toString(), "loglinear:" + file.getFileName());
  }

  /** Parses the JSON form; {@code source} names the text in messages; the model is named {@code loglinear}. */
  public static LogLinearMaskedLm fromJson(String json, String source) {
    return fromJson(Json.parse(json, source), source, "loglinear");
  }

  private static LogLinearMaskedLm fromJson(JsonNode root, String source, String name) {
    Json.requireOnly(root, source, FIELDS);
    JsonNode format = Json.field(root, "format", source);
    if (!format.isTextual() || !FORMAT.equals(format.textValue())) {
      throw BadInputException.of(source + ": format", format, "\"" + FORMAT + "\"");
    }
    JsonNode version = Json.field(root, "version", source);
    if (!version.isInt() || version.intValue() != VERSION) {
      throw BadInputException.of(source + ": version", version, VERSION + " (the version this fewstep reads)");
    }
    Tokenizer tokenizer = readTokenizer(Json.field(root, "tokenizer", source), source + ": tokenizer");
    int v = tokenizer.vocabulary().size();
    int vocabSize = integer(root, "vocabSize", source, 1);
    if (vocabSize != v) {
      throw BadInputException.of(source + ": vocabSize", vocabSize, v + " (the size of the tokenizer's vocabulary)");
    }
    int window = integer(root, "window", source, 1);
    int maxLength = integer(root, "maxLength", source, 1);
    double[][] biasRows = Json.matrix(Json.field(root, "bias", source), source + ": bias", maxLength, v);
    JsonNode pairNode = Json.field(root, "pair", source);
    if (!pairNode.isArray() || pairNode.size() != 2 * window) {
      throw BadInputException.of(source + ": pair", pairNode.isArray() ? "an array of " + pairNode.size() + " blocks" : "not an array",
          "an array of " + 2 * window + " blocks (2 window)");
    }
    double[][][] pairBlocks = new double[2 * window][][];
    for (int k = 0; k < pairBlocks.length; k++) {
      pairBlocks[k] = Json.matrix(pairNode.get(k), source + ": pair[" + k + "]", v, v);
    }
    LogLinearMaskedLm model = of(tokenizer, window, maxLength, biasRows, pairBlocks);
    return new LogLinearMaskedLm(name, tokenizer, window, maxLength, model.bias, model.pair);
  }

  private static int integer(JsonNode root, String field, String source, int min) {
    JsonNode node = Json.field(root, field, source);
    if (!node.isInt() || node.intValue() < min) {
      throw BadInputException.of(source + ": " + field, node, "an integer >= " + min);
    }
    return node.intValue();
  }

  private static Tokenizer readTokenizer(JsonNode node, String where) {
    Json.requireOnly(node, where, TOKENIZER_FIELDS);
    String tokenizerName = Json.text(Json.field(node, "name", where), where + ": name");
    JsonNode tokensNode = Json.field(node, "tokens", where);
    if (!tokensNode.isArray()) {
      throw BadInputException.of(where + ": tokens", tokensNode, "an array of strings");
    }
    List<String> tokens = new ArrayList<>();
    for (int t = 0; t < tokensNode.size(); t++) {
      tokens.add(Json.text(tokensNode.get(t), where + ": tokens[" + t + "]"));
    }
    try {
      if (tokenizerName.equals("symbol")) {
        JsonNode eos = Json.field(node, "eos", where);
        if (!eos.isBoolean()) {
          throw BadInputException.of(where + ": eos", eos, "true or false");
        }
        if (tokens.isEmpty()) {
          throw BadInputException.of(where + ": tokens", "[]", "at least one symbol");
        }
        return new SymbolTokenizer(tokens, eos.booleanValue());
      }
      Tokenizer restored = Tokenizers.restore(tokenizerName, tokens);
      if (node.has("eos")) {
        throw new BadInputException(where + ": the field \"eos\" belongs to symbol tokenizers only");
      }
      return restored;
    } catch (BadInputException e) {
      throw e.getMessage().startsWith(where) ? e : new BadInputException(where + ": " + e.getMessage(), e);
    }
  }
}
