package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.masked.CachedMaskedLm.Cache;
import org.fewstep.text.masked.TinyTransformerLm.Config;
import org.fewstep.text.token.SymbolTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tiny transformer: its forward pass against a naive transformer written here from the file
 * format, the Fast-dLLM cache (bit identity on the refreshed sequence, a small but real error after
 * commits, blindness to changes outside the window), and the weight file.
 */
class TinyTransformerLmTest {
  private static final SymbolTokenizer TOKENS =
      new SymbolTokenizer(List.of("a", "b", "c", "d", "e", "f", "g", "h"), false);
  private static final int V = 8;
  private static final int MASK = V;
  /** Header bytes before the parameters: magic, version, name length, "symbol", five ints. */
  private static final int HEADER = 12 + "symbol".length() + 20;

  @TempDir
  Path dir;

  // ---------------------------------------------------------------------------------------------
  // The cache

  @ParameterizedTest
  @CsvSource({"1, 1", "2, 7", "3, 40", "4, 64"})
  void cachedLogitsOnTheRefreshedSequenceAreTheFullLogitsBitForBit(long seed, int n) {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, seed);
    Rng rng = new Rng(seed);
    int[] x = row(rng, n, 0.5);
    double[] full = full(model, x);
    Cache cache = model.newCache(n);
    double[] refreshed = new double[n * V];
    model.refresh(cache, x, 0, n, refreshed);
    assertThat(bits(refreshed)).containsExactly(bits(full));
    int block = 8;
    for (int s = 0; s < n; s += block) {
      assertCachedExact(model, cache, x, full, s, n); // prefix cache
      assertCachedExact(model, cache, x, full, s, Math.min(n, s + block)); // dual cache
    }
    for (int k = 0; k < 5; k++) {
      int a = rng.nextInt(n + 1);
      int b = rng.nextInt(n + 1);
      assertCachedExact(model, cache, x, full, Math.min(a, b), Math.max(a, b));
    }
    // logits and refresh of a part: the same bits, and the refresh still caches every position
    int from = n / 3;
    int to = Math.max(from, n - n / 4);
    double[][] part = {new double[(to - from) * V]};
    model.logits(new int[][] {x}, from, to, part);
    assertThat(bits(part[0])).containsExactly(bits(slice(full, from, to)));
    Cache other = model.newCache(n);
    double[] partRefresh = new double[(to - from) * V];
    model.refresh(other, x, from, to, partRefresh);
    assertThat(bits(partRefresh)).containsExactly(bits(part[0]));
    assertCachedExact(model, other, x, full, 0, n);
    assertCachedExact(model, other, x, full, 0, Math.min(n, 3));
  }

  /**
   * Committing tokens in the current block without a refresh: the recomputed window sees them, the
   * cached positions do not, so the cached logits are close to, but not, the full ones. Measured over
   * seeds 1..20 and 6 blocks: at most 0.53 (dual) and 0.29 (prefix) in logit units, and at least 16
   * times smaller than the change of the full logits that the commit causes.
   */
  @ParameterizedTest
  @CsvSource({"1", "2", "3"})
  void afterCommitsInTheWindowCachedLogitsAreCloseButNotExactUntilTheNextRefresh(long seed) {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, seed);
    Rng rng = new Rng(seed + 100);
    int n = 64;
    int prompt = 16;
    int block = 8;
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i < prompt ? rng.nextInt(V) : MASK;
    }
    Cache cache = model.newCache(n);
    double[] before = new double[n * V];
    model.refresh(cache, x, 0, n, before);
    for (int s = prompt; s < n; s += block) {
      int[] committed = x.clone();
      for (int k = 0; k < 3; k++) {
        committed[s + 2 * k] = rng.nextInt(V);
      }
      double[] after = full(model, committed);
      double effect = maxDifference(slice(before, s, s + block), slice(after, s, s + block));
      for (int end : new int[] {s + block, n}) { // dual, prefix
        double[] cached = cached(model, cache, committed, s, end);
        double error = maxDifference(cached, slice(after, s, end));
        assertThat(error).as("block %d..%d", s, end).isGreaterThan(1e-6).isLessThan(1.0);
        assertThat(error).as("block %d..%d", s, end).isLessThan(effect / 10);
      }
      // logitsCached did not write the new keys and values into the cache
      assertCachedExact(model, cache, x, before, s, s + block);
      x = committed;
      model.refresh(cache, x, 0, n, before);
      assertThat(bits(before)).containsExactly(bits(full(model, x)));
      assertCachedExact(model, cache, x, before, s, s + block);
    }
  }

  @Test
  void cachedLogitsDoNotSeeChangesOutsideTheWindowThatTheFullForwardSees() {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, 7);
    Rng rng = new Rng(7);
    int n = 48;
    int[] x = row(rng, n, 0.5);
    Cache cache = model.newCache(n);
    double[] full = new double[n * V];
    model.refresh(cache, x, 0, n, full);
    int s = 16;
    int e = 24;
    for (int[] window : new int[][] {{s, e}, {s, n}}) {
      double[] cachedBefore = cached(model, cache, x, window[0], window[1]);
      for (int p : new int[] {0, s - 1, e, n - 1}) {
        if (p >= window[0] && p < window[1]) {
          continue;
        }
        int[] changed = x.clone();
        changed[p] = x[p] == MASK ? 0 : (x[p] + 1) % V;
        assertThat(bits(cached(model, cache, changed, window[0], window[1])))
            .as("window %s, change at %d", Arrays.toString(window), p)
            .containsExactly(bits(cachedBefore));
        assertThat(maxDifference(slice(full(model, changed), window[0], window[1]), cachedBefore))
            .as("the full forward sees the change at %d", p)
            .isGreaterThan(1e-6);
      }
    }
  }

  @Test
  void attentionIsBidirectional() {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, 3);
    int[] x = row(new Rng(3), 16, 0.5);
    int[] changed = x.clone();
    changed[15] = x[15] == MASK ? 1 : MASK;
    assertThat(maxDifference(slice(full(model, x), 0, 1), slice(full(model, changed), 0, 1))).isGreaterThan(1e-6);
  }

  // ---------------------------------------------------------------------------------------------
  // The forward pass against a naive transformer

  /** Every parameter of the file (docs/tiny-transformer-format.md), in file order, as the test knows it. */
  private static final class Weights {
    final int d;
    final int heads;
    final int layers;
    final int maxLength;
    final List<double[][]> tensors = new ArrayList<>();

    /** All parameters standard normal times {@code scale}, LayerNorm gains around 1. */
    Weights(int d, int heads, int layers, int maxLength, long seed) {
      this.d = d;
      this.heads = heads;
      this.layers = layers;
      this.maxLength = maxLength;
      Rng rng = new Rng(seed);
      add(rng, V + 1, d, 1, 0);
      add(rng, maxLength, d, 1, 0);
      for (int l = 0; l < layers; l++) {
        add(rng, 1, d, 0.3, 1); // norm1 gain
        add(rng, 1, d, 0.3, 0);
        for (int k = 0; k < 4; k++) { // query, key, value, mix
          add(rng, d, d, 1 / Math.sqrt(d), 0);
          add(rng, 1, d, 0.3, 0);
        }
        add(rng, 1, d, 0.3, 1); // norm2 gain
        add(rng, 1, d, 0.3, 0);
        add(rng, d, 4 * d, 1 / Math.sqrt(d), 0);
        add(rng, 1, 4 * d, 0.3, 0);
        add(rng, 4 * d, d, 1 / Math.sqrt(4 * d), 0);
        add(rng, 1, d, 0.3, 0);
      }
      add(rng, 1, d, 0.3, 1);
      add(rng, 1, d, 0.3, 0);
      add(rng, d, V, 1, 0);
      add(rng, 1, V, 0.3, 0);
    }

    private void add(Rng rng, int rows, int cols, double std, double mean) {
      double[][] t = new double[rows][cols];
      for (double[] r : t) {
        for (int c = 0; c < cols; c++) {
          r[c] = mean + std * rng.nextGaussian();
        }
      }
      tensors.add(t);
    }

    byte[] file() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x46535454);
      out.writeInt(1);
      out.writeInt(6);
      out.write("symbol".getBytes(StandardCharsets.UTF_8));
      for (int v : new int[] {V, d, heads, layers, maxLength}) {
        out.writeInt(v);
      }
      for (double[][] t : tensors) {
        for (double[] r : t) {
          for (double v : r) {
            out.writeDouble(v);
          }
        }
      }
      return bytes.toByteArray();
    }

    /** The logits of every position, computed the textbook way: matrices of rows, one step at a time. */
    double[][] forward(int[] x) {
      int n = x.length;
      int k = 0;
      double[][] embed = tensors.get(k++);
      double[][] position = tensors.get(k++);
      double[][] h = new double[n][d];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < d; c++) {
          h[i][c] = embed[x[i]][c] + position[i][c];
        }
      }
      for (int l = 0; l < layers; l++) {
        double[][] g1 = tensors.get(k++);
        double[][] b1 = tensors.get(k++);
        double[][] a = norm(h, g1[0], b1[0]);
        double[][] q = affine(a, tensors.get(k++), tensors.get(k++)[0]);
        double[][] key = affine(a, tensors.get(k++), tensors.get(k++)[0]);
        double[][] value = affine(a, tensors.get(k++), tensors.get(k++)[0]);
        double[][] mixed = new double[n][d];
        int w = d / heads;
        for (int head = 0; head < heads; head++) {
          for (int i = 0; i < n; i++) {
            double[] score = new double[n];
            double total = 0;
            for (int j = 0; j < n; j++) {
              double dot = 0;
              for (int c = head * w; c < (head + 1) * w; c++) {
                dot += q[i][c] * key[j][c];
              }
              score[j] = Math.exp(dot / Math.sqrt(w));
              total += score[j];
            }
            for (int j = 0; j < n; j++) {
              for (int c = head * w; c < (head + 1) * w; c++) {
                mixed[i][c] += score[j] / total * value[j][c];
              }
            }
          }
        }
        h = add(h, affine(mixed, tensors.get(k++), tensors.get(k++)[0]));
        double[][] g2 = tensors.get(k++);
        double[][] b2 = tensors.get(k++);
        double[][] up = affine(norm(h, g2[0], b2[0]), tensors.get(k++), tensors.get(k++)[0]);
        for (double[] r : up) {
          for (int c = 0; c < r.length; c++) {
            double u = r[c];
            r[c] = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * Math.pow(u, 3))));
          }
        }
        h = add(h, affine(up, tensors.get(k++), tensors.get(k++)[0]));
      }
      double[][] gf = tensors.get(k++);
      double[][] bf = tensors.get(k++);
      return affine(norm(h, gf[0], bf[0]), tensors.get(k++), tensors.get(k)[0]);
    }

    static double[][] affine(double[][] in, double[][] weight, double[] bias) {
      double[][] out = new double[in.length][bias.length];
      for (int i = 0; i < in.length; i++) {
        for (int o = 0; o < bias.length; o++) {
          double s = bias[o];
          for (int r = 0; r < weight.length; r++) {
            s += in[i][r] * weight[r][o];
          }
          out[i][o] = s;
        }
      }
      return out;
    }

    static double[][] norm(double[][] h, double[] gain, double[] bias) {
      double[][] out = new double[h.length][];
      for (int i = 0; i < h.length; i++) {
        double mean = Arrays.stream(h[i]).average().orElseThrow();
        double var = Arrays.stream(h[i]).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        out[i] = new double[h[i].length];
        for (int c = 0; c < h[i].length; c++) {
          out[i][c] = (h[i][c] - mean) / Math.sqrt(var + 1e-5) * gain[c] + bias[c];
        }
      }
      return out;
    }

    static double[][] add(double[][] a, double[][] b) {
      double[][] out = new double[a.length][a[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int c = 0; c < a[i].length; c++) {
          out[i][c] = a[i][c] + b[i][c];
        }
      }
      return out;
    }
  }

  @ParameterizedTest
  @CsvSource({"6, 2, 2, 12, 1", "4, 1, 1, 5, 2", "8, 4, 3, 9, 3"})
  void theForwardPassIsTheNaiveTransformerOfItsFile(int d, int heads, int layers, int maxLength, long seed)
      throws IOException {
    Weights w = new Weights(d, heads, layers, maxLength, seed);
    Path file = dir.resolve("naive.bin");
    Files.write(file, w.file());
    TinyTransformerLm model = TinyTransformerLm.load(file, TOKENS);
    assertThat(model.config()).isEqualTo(new Config(d, heads, layers, maxLength));
    Rng rng = new Rng(seed);
    for (int n = 1; n <= maxLength; n++) {
      int[] x = row(rng, n, 0.4);
      double[] logits = full(model, x);
      double[][] expected = w.forward(x);
      for (int i = 0; i < n; i++) {
        for (int v = 0; v < V; v++) {
          assertThat(logits[i * V + v]).as("n %d, position %d, token %d", n, i, v)
              .isCloseTo(expected[i][v], within(1e-11));
        }
      }
    }
  }

  @Test
  void withoutPositionEmbeddingsPermutingTheInputPermutesTheLogits() throws IOException {
    Weights w = new Weights(8, 2, 2, 20, 9);
    for (double[] r : w.tensors.get(1)) {
      Arrays.fill(r, 0);
    }
    Path file = dir.resolve("no-positions.bin");
    Files.write(file, w.file());
    TinyTransformerLm model = TinyTransformerLm.load(file, TOKENS);
    Rng rng = new Rng(9);
    int n = 20;
    int[] x = row(rng, n, 0.3);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] permuted = new int[n];
    for (int i = 0; i < n; i++) {
      permuted[i] = x[perm[i]];
    }
    double[] logits = full(model, x);
    double[] permutedLogits = full(model, permuted);
    for (int i = 0; i < n; i++) {
      for (int v = 0; v < V; v++) {
        assertThat(permutedLogits[i * V + v]).isCloseTo(logits[perm[i] * V + v], within(1e-12));
      }
    }
    // with position embeddings, equal tokens at different positions get different logits
    double[] same = full(TinyTransformerLm.random(TOKENS, new Config(8, 2, 2, 20), 3, 9), new int[] {0, 0, 0});
    assertThat(maxDifference(slice(same, 0, 1), slice(same, 1, 2))).isGreaterThan(1e-6);
  }

  // ---------------------------------------------------------------------------------------------
  // The file

  @Test
  void saveThenLoadGivesTheSameLogitsAndTheSameBytes() throws IOException {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, 5);
    assertThat(model.name()).isEqualTo("tiny-transformer");
    Path file = dir.resolve("model.bin");
    model.save(file);
    int d = 32;
    long parameters = (long) (V + 1) * d + 256L * d + 2 * (12L * d * d + 13L * d) + 2L * d + (long) d * V + V;
    assertThat(Files.size(file)).isEqualTo(HEADER + 8 * parameters);
    TinyTransformerLm loaded = TinyTransformerLm.load(file, TOKENS);
    assertThat(loaded.name()).isEqualTo("tiny-transformer:model.bin");
    assertThat(loaded.config()).isEqualTo(Config.DEFAULT);
    int[] x = row(new Rng(5), 50, 0.5);
    assertThat(bits(full(loaded, x))).containsExactly(bits(full(model, x)));
    Path again = dir.resolve("again.bin");
    loaded.save(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
    Path twin = dir.resolve("twin.bin");
    TinyTransformerLm.random(TOKENS, 5).save(twin);
    assertThat(Files.readAllBytes(twin)).isEqualTo(Files.readAllBytes(file));
    Path other = dir.resolve("other.bin");
    TinyTransformerLm.random(TOKENS, 6).save(other);
    assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(file));
  }

  @Test
  void malformedFilesAreRejectedNamingTheField() throws IOException {
    Path file = dir.resolve("good.bin");
    TinyTransformerLm.random(TOKENS, new Config(8, 2, 1, 10), 3, 1).save(file);
    byte[] good = Files.readAllBytes(file);
    int paramsStart = HEADER;
    assertRejected(patchInt(good, 0, 0x12345678), "magic = 0x12345678");
    assertRejected(patchInt(good, 4, 2), "version = 2");
    assertRejected(Arrays.copyOf(good, 6), "version = end of file at byte 4");
    assertRejected(patchInt(good, 8, 999_999), "tokenizer name length = 999999");
    byte[] renamed = good.clone();
    renamed[12] = 'S';
    assertRejected(renamed, "tokenizer = 'Symbol'");
    assertRejected(patchInt(good, 18, V + 1), "vocabulary size = 9");
    assertRejected(patchInt(good, 26, 3), "heads = 3: expected a divisor of the width 8");
    assertRejected(patchInt(good, 30, 0), "layers = 0");
    assertRejected(patchInt(good, 34, 11), "file size = " + good.length + " bytes");
    assertRejected(Arrays.copyOf(good, good.length - 1), "file size = " + (good.length - 1) + " bytes");
    assertRejected(Arrays.copyOf(good, good.length + 8), "file size = " + (good.length + 8) + " bytes");
    int nanAt = paramsStart + 8 * ((V + 1) * 8 + 8 + 2); // position_embedding[1][2]
    assertRejected(patchDouble(good, nanAt, Double.NaN), "position_embedding[1][2] = NaN: expected a finite number");
    assertRejected(patchDouble(good, good.length - 8 * (V - 3), Double.POSITIVE_INFINITY), "output.bias[3] = Infinity");
    int gainAt = paramsStart + 8 * ((V + 1) * 8 + 10 * 8 + 5); // layer0.norm1.gain[5]
    assertRejected(patchDouble(good, gainAt, Double.NaN), "layer0.norm1.gain[5] = NaN");
    assertThatThrownBy(() -> TinyTransformerLm.load(dir.resolve("missing.bin"), TOKENS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("does not exist");
  }

  private void assertRejected(byte[] bytes, String message) throws IOException {
    Path bad = dir.resolve("bad.bin");
    Files.write(bad, bytes);
    assertThatThrownBy(() -> TinyTransformerLm.load(bad, TOKENS))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("tiny-transformer file " + bad)
        .hasMessageContaining(message);
  }

  private static byte[] patchInt(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).putInt(at, value);
    return copy;
  }

  private static byte[] patchDouble(byte[] bytes, int at, double value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).putDouble(at, value);
    return copy;
  }

  // ---------------------------------------------------------------------------------------------
  // Bad input

  @Test
  void badInputIsRejectedClearly() {
    TinyTransformerLm model = TinyTransformerLm.random(TOKENS, new Config(8, 2, 1, 10), 3, 1);
    int[] x = {0, 1, MASK, 3};
    double[] out = new double[4 * V];
    assertBad(() -> model.newCache(0), "length = 0: expected an integer in [1, 10]");
    assertBad(() -> model.newCache(11), "length = 11");
    assertBad(() -> model.logits(new int[][] {new int[11]}, 0, 1, new double[][] {out}), "x[0] length = 11");
    assertBad(() -> model.logits(new int[][] {{0, -1}}, 0, 1, new double[][] {out}), "x[0][1] = -1");
    assertBad(() -> model.logits(new int[][] {{0, V + 1}}, 0, 1, new double[][] {out}),
        "x[0][1] = 9: expected a token id in [0, 8) or the mask id 8");
    assertBad(() -> model.logits(new int[][] {x, {0}}, 0, 1, new double[][] {out, out}), "x[1] length = 1");
    assertBad(() -> model.logits(new int[][] {x}, -1, 2, new double[][] {out}), "positions = [-1, 2)");
    assertBad(() -> model.logits(new int[][] {x}, 3, 2, new double[][] {out}), "positions = [3, 2)");
    assertBad(() -> model.logits(new int[][] {x}, 0, 5, new double[][] {new double[40]}), "positions = [0, 5)");
    assertBad(() -> model.logits(new int[][] {x}, 0, 4, new double[][] {new double[31]}), "out[0] = 31 entries");
    assertBad(() -> model.logits(new int[][] {x}, 0, 4, new double[0][]), "out = 0 rows");
    Cache cache = model.newCache(4);
    assertBad(() -> model.logitsCached(cache, x, 0, 2, out), "cache = empty");
    assertBad(() -> model.refresh(cache, new int[] {0, 1, 2}, 0, 3, out), "x length = 3: expected 4, the length of the cache");
    assertBad(() -> model.refresh(cache, new int[] {0, 1, 2, 10}, 0, 3, out), "x[3] = 10");
    model.refresh(cache, x, 0, 4, out);
    assertBad(() -> model.logitsCached(cache, x, 2, 5, out), "window = [2, 5)");
    assertBad(() -> model.logitsCached(cache, x, 0, 4, new double[8]), "out = 8 entries");
    TinyTransformerLm twin = TinyTransformerLm.random(TOKENS, new Config(8, 2, 1, 10), 3, 1);
    assertBad(() -> twin.logitsCached(cache, x, 0, 2, out), "expected a cache from newCache(...) of this tiny-transformer");
    assertBad(() -> TinyTransformerLm.random(TOKENS, new Config(8, 2, 1, 10), 0, 1), "logitScale = 0.0");
    assertBad(() -> new Config(8, 3, 1, 10), "heads = 3: expected a divisor of the width 8");
    assertBad(() -> new Config(8, 2, 1, 100_000), "maxLength = 100000");
  }

  private static void assertBad(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOf(BadInputException.class).hasMessageContaining(message);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A random row of token ids, each position masked with probability {@code maskRate}. */
  private static int[] row(Rng rng, int n, double maskRate) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextDouble() < maskRate ? MASK : rng.nextInt(V);
    }
    return x;
  }

  private static double[] full(TinyTransformerLm model, int[] x) {
    double[][] out = {new double[x.length * V]};
    model.logits(new int[][] {x}, 0, x.length, out);
    return out[0];
  }

  private static double[] cached(TinyTransformerLm model, Cache cache, int[] x, int start, int end) {
    double[] out = new double[(end - start) * V];
    model.logitsCached(cache, x, start, end, out);
    return out;
  }

  private static void assertCachedExact(TinyTransformerLm model, Cache cache, int[] x, double[] full, int start, int end) {
    assertThat(bits(cached(model, cache, x, start, end))).as("window [%d, %d)", start, end)
        .containsExactly(bits(slice(full, start, end)));
  }

  private static double[] slice(double[] logits, int from, int to) {
    return Arrays.copyOfRange(logits, from * V, to * V);
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  private static double maxDifference(double[] a, double[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
