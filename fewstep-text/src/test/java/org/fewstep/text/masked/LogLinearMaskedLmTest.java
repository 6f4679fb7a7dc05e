package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.token.SymbolTokenizer;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log-linear masked LM against its formula (discrete-and-data.md 0.3), written out here from the
 * parameter accessors, and its file form.
 */
class LogLinearMaskedLmTest {
  /** Six symbols and an end token that data never hold: vocabulary 7, mask id 7. */
  static final Tokenizer TOKENIZER = new SymbolTokenizer(List.of("a", "b", "c", "d", "e", "f"), true);
  static final int V = 7;
  static final int MASK = 7;

  @TempDir
  Path dir;

  /** A model with independent Gaussian parameters. */
  static LogLinearMaskedLm random(Tokenizer tokenizer, int window, int maxLength, long seed) {
    LogLinearMaskedLm zeros = LogLinearMaskedLm.zeros(tokenizer, window, maxLength);
    Rng rng = new Rng(seed);
    double[] theta = new double[zeros.parameterCount()];
    rng.fillGaussian(theta);
    return zeros.withParameters(theta);
  }

  /** A random sequence of tokens {@code 0 .. V-1} with about a third of the positions masked. */
  static int[] randomRow(Rng rng, int length) {
    int[] x = new int[length];
    for (int i = 0; i < length; i++) {
      x[i] = rng.nextInt(3) == 0 ? MASK : rng.nextInt(V);
    }
    return x;
  }

  static double[] logits(MaskedLm model, int[] x) {
    double[][] out = {new double[x.length * model.vocabSize()]};
    model.logits(new int[][] {x}, 0, x.length, out);
    return out[0];
  }

  /** The formula, term by term. */
  static double reference(LogLinearMaskedLm model, int[] x, int i, int v) {
    double logit = model.bias(i, v);
    for (int j = 0; j < x.length; j++) {
      if (j != i && Math.abs(j - i) <= model.window() && x[j] != model.maskId()) {
        logit += model.pair(j - i, x[j], v);
      }
    }
    return logit;
  }

  @Test
  void logitsFollowTheFormulaForEveryPositionAndRange() {
    LogLinearMaskedLm model = random(TOKENIZER, 3, 20, 1);
    Rng rng = new Rng(2);
    for (int trial = 0; trial < 20; trial++) {
      int[] x = randomRow(rng, 1 + rng.nextInt(20));
      double[] all = logits(model, x);
      for (int i = 0; i < x.length; i++) {
        for (int v = 0; v < V; v++) {
          assertThat(all[i * V + v]).isCloseTo(reference(model, x, i, v), within(1e-12));
        }
      }
      int from = rng.nextInt(x.length + 1);
      int to = from + rng.nextInt(x.length - from + 1);
      double[][] part = {new double[(to - from) * V]};
      model.logits(new int[][] {x}, from, to, part);
      for (int k = 0; k < part[0].length; k++) {
        assertThat(part[0][k]).isEqualTo(all[from * V + k]);
      }
    }
  }

  @Test
  void thePositionItselfNeverMatters() {
    LogLinearMaskedLm model = random(TOKENIZER, 4, 12, 3);
    Rng rng = new Rng(4);
    for (int trial = 0; trial < 20; trial++) {
      int[] x = randomRow(rng, 12);
      int i = rng.nextInt(12);
      double[] base = logits(model, x);
      for (int u = 0; u <= MASK; u++) {
        x[i] = u;
        double[] changed = logits(model, x);
        for (int v = 0; v < V; v++) {
          assertThat(changed[i * V + v]).isEqualTo(base[i * V + v]);
        }
      }
    }
  }

  @Test
  void maskedNeighboursAddNothingAndUnmaskedOnesAddTheirPotential() {
    LogLinearMaskedLm model = random(TOKENIZER, 2, 8, 5);
    int[] allMasked = {MASK, MASK, MASK, MASK, MASK, MASK, MASK, MASK};
    double[] none = logits(model, allMasked);
    for (int i = 0; i < 8; i++) {
      for (int v = 0; v < V; v++) {
        assertThat(none[i * V + v]).isEqualTo(model.bias(i, v));
      }
    }
    int[] one = allMasked.clone();
    one[4] = 2;
    double[] some = logits(model, one);
    for (int i = 0; i < 8; i++) {
      for (int v = 0; v < V; v++) {
        double expected = model.bias(i, v) + (i != 4 && Math.abs(4 - i) <= 2 ? model.pair(4 - i, 2, v) : 0);
        assertThat(some[i * V + v]).isEqualTo(expected);
      }
    }
  }

  @Test
  void onlyPositionsInsideTheWindowMatter() {
    int window = 3;
    LogLinearMaskedLm model = random(TOKENIZER, window, 16, 6);
    Rng rng = new Rng(7);
    int[] x = randomRow(rng, 16);
    int i = 8;
    double[] base = logits(model, x);
    for (int j = 0; j < 16; j++) {
      int[] changed = x.clone();
      changed[j] = x[j] == 0 ? 1 : 0;
      double[] after = logits(model, changed);
      boolean same = true;
      for (int v = 0; v < V; v++) {
        same &= after[i * V + v] == base[i * V + v];
      }
      assertThat(same).as("position %d seen from %d", j, i).isEqualTo(j == i || Math.abs(j - i) > window);
    }
  }

  @Test
  void badRowsAreRefused() {
    LogLinearMaskedLm model = random(TOKENIZER, 2, 6, 8);
    assertThatThrownBy(() -> logits(model, new int[7]))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("length of x[0] = 7: expected at most maxLength = 6");
    assertThatThrownBy(() -> logits(model, new int[] {0, 8, 0}))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("x[0][1] = 8");
    assertThatThrownBy(() -> logits(model, new int[] {0, -1}))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("x[0][1] = -1");
    assertThatThrownBy(() -> model.logits(new int[][] {{0, 1}}, 1, 3, new double[][] {new double[14]}))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("positions = [1, 3)");
    assertThatThrownBy(() -> LogLinearMaskedLm.zeros(TOKENIZER, 0, 6))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("window = 0");
    assertThatThrownBy(() -> model.withParameters(new double[model.parameterCount()]).withParameters(new double[3]))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("parameters = 3 entries");
    double[] nan = new double[model.parameterCount()];
    nan[5] = Double.NaN;
    assertThatThrownBy(() -> model.withParameters(nan))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("parameters[5] = NaN");
  }

  @Test
  void savingAndLoadingKeepsEveryBit() throws IOException {
    LogLinearMaskedLm model = random(TOKENIZER, 3, 10, 9);
    Path file = dir.resolve("model.json");
    model.save(file);
    LogLinearMaskedLm back = LogLinearMaskedLm.load(file);
    assertThat(back.name()).isEqualTo("loglinear:model.json");
    assertThat(back.window()).isEqualTo(3);
    assertThat(back.maxLength()).isEqualTo(10);
    assertThat(back.vocabSize()).isEqualTo(V);
    assertThat(back.tokenizer().vocabulary().eos()).isEqualTo(6);
    assertThat(back.tokenizer().decode(new int[] {0, 5, 6})).isEqualTo("a f");
    assertThat(back.parameters()).isEqualTo(model.parameters());
    Rng rng = new Rng(10);
    for (int trial = 0; trial < 10; trial++) {
      int[] x = randomRow(rng, 10);
      assertThat(logits(back, x)).isEqualTo(logits(model, x));
    }
    Path again = dir.resolve("again.json");
    back.save(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
    // special values keep their bits too
    double[] theta = model.parameters();
    theta[0] = -0.0;
    theta[1] = Double.MIN_VALUE;
    theta[2] = -Double.MAX_VALUE;
    theta[3] = 0.1 + 0.2;
    LogLinearMaskedLm odd = model.withParameters(theta);
    odd.save(file);
    assertThat(LogLinearMaskedLm.load(file).parameters()).isEqualTo(theta);
    assertThat(Double.doubleToRawLongBits(LogLinearMaskedLm.load(file).parameters()[0]))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void otherTokenizersAreStoredToo() {
    Tokenizer chars = Tokenizers.forCorpus("char", List.of("abc ab"), 1);
    LogLinearMaskedLm model = random(chars, 1, 4, 11);
    LogLinearMaskedLm back = LogLinearMaskedLm.fromJson(model.toJson(), "text");
    assertThat(back.tokenizer().name()).isEqualTo("char");
    assertThat(back.tokenizer().encode("cab")).isEqualTo(chars.encode("cab"));
    assertThat(back.parameters()).isEqualTo(model.parameters());
    Tokenizer noEnd = new SymbolTokenizer(List.of("x", "\"y\\"), false);
    LogLinearMaskedLm quoted = LogLinearMaskedLm.fromJson(random(noEnd, 2, 3, 12).toJson(), "text");
    assertThat(quoted.tokenizer().vocabulary().eos()).isEqualTo(-1);
    assertThat(((SymbolTokenizer) quoted.tokenizer()).symbols()).containsExactly("x", "\"y\\");
  }

  @Test
  void badFilesAreRefusedWithTheField() throws IOException {
    String good = random(TOKENIZER, 1, 2, 13).toJson();
    assertThat(LogLinearMaskedLm.fromJson(good, "f").parameterCount()).isEqualTo(2 * V + 2 * V * V);
    assertBad(good.replace(LogLinearMaskedLm.FORMAT, "something-else"), "f: format = \"something-else\": expected \"fewstep-loglinear-masked-lm\"");
    assertBad(good.replace("\"version\": 1", "\"version\": 2"), "f: version = 2: expected 1");
    assertBad(good.replace("\"vocabSize\": 7", "\"vocabSize\": 6"), "f: vocabSize = 6: expected 7");
    assertBad(good.replace("\"maxLength\": 2", "\"maxLength\": 3"), "f: bias = an array of 2 rows: expected an array of 3 rows");
    assertBad(good.replace("\"window\": 1", "\"window\": 2"), "f: pair = an array of 2 blocks: expected an array of 4 blocks");
    assertBad(good.replace("\"window\": 1", "\"window\": 0"), "f: window = 0: expected an integer >= 1");
    assertBad(good.replace("\"maxLength\": 2", "\"maxLength\": 2, \"extra\": 1"), "f: unknown field \"extra\"");
    assertBad(good.replace("\"eos\": true", "\"eos\": 1"), "f: tokenizer: eos = 1: expected true or false");
    assertBad(good.replace("\"name\": \"symbol\"", "\"name\": \"bytes\""), "f: tokenizer: unknown tokenizer 'bytes'");
    assertBad(good.replace("\"bias\"", "\"biases\""), "f: unknown field \"biases\"");
    // the last number of the file is pair[1][6][6]
    int last = good.lastIndexOf("]\n    ]\n  ]");
    int start = good.lastIndexOf(", ", last) + 2;
    assertBad(good.substring(0, start) + "1e999" + good.substring(last), "f: pair[1][6][6] = \"Infinity\": expected a finite number");
    assertBad(good.substring(0, start) + "NaN" + good.substring(last), "f: malformed JSON at line");
    int firstRow = good.indexOf("    [", good.indexOf("\"bias\""));
    int comma = good.indexOf(", ", firstRow);
    assertBad(good.substring(0, firstRow + 5) + good.substring(comma + 2), "f: bias[0] = an array of 6 numbers: expected an array of 7 numbers");
    assertBad("{}", "f: the field \"format\" is missing");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> LogLinearMaskedLm.load(missing)).isInstanceOf(BadInputException.class).hasMessageContaining("does not exist");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, good.replace("\"version\": 1", "\"version\": \"1\""));
    assertThatThrownBy(() -> LogLinearMaskedLm.load(broken))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith(broken + ": version = \"1\": expected 1");
  }

  private static void assertBad(String json, String message) {
    assertThatThrownBy(() -> LogLinearMaskedLm.fromJson(json, "f"))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith(message);
  }
}
