package org.fewstep.text.masked;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Softmax;
import org.fewstep.text.Tokenizer;

/**
 * A tiny bidirectional transformer encoder used as a masked LM (Vaswani et al. 2017, "Attention is
 * all you need", with no causal mask), with the block-wise key/value cache of Fast-dLLM (Wu et al.
 * 2025, arXiv 2505.22618, section 3.2). Plain Java, all arithmetic in double; it exists to exercise
 * cached masked-diffusion decoding on a CPU (discrete-and-data.md 0.3), not to write good text.
 *
 * <p><b>Architecture.</b> Input {@code h_i = E[x_i] + P[i]} (token embedding with {@code V + 1} rows,
 * the last one for the mask id {@code V}; learned absolute positions). Then {@code layers}
 * pre-LayerNorm blocks: {@code h += Wo(attention(LN1(h))) }, {@code h += W2 gelu(W1 LN2(h))}, where
 * attention has {@code heads} heads of width {@code d / heads}, every position attending to every
 * position, and the MLP has width {@code 4d}; GELU in its tanh form. A final LayerNorm and a linear
 * map give the {@code V} logits. Every linear map has a bias; LayerNorm uses epsilon 1e-5.
 *
 * <p><b>Initialisation</b> ({@link #random}). Embeddings are standard normal; weight matrices are
 * normal with std {@code 1/sqrt(fan-in)}, so each map keeps the scale of its input and attention is
 * neither uniform nor one-hot; biases are 0 and LayerNorm gains 1. The output projection has std
 * {@code logitScale / sqrt(d)}, so that each initial logit has std about {@code logitScale}: GPT-2's
 * fixed std 0.02 at d = 32 gives logits of std 0.1 and near-uniform predictions, useless for
 * confidence-threshold decoders. With the default {@value #DEFAULT_LOGIT_SCALE} and 8 tokens, the
 * top probability of a position ranges from about 0.2 to 0.99 (median about 0.65).
 *
 * <p><b>Cache and bit identity.</b> Every position's hidden state is computed by the same code from
 * the same inputs, and a query sums over the keys {@code 0 .. length-1} in order whether a key was
 * cached or recomputed; the attention weights come from fewstep's softmax kernel
 * ({@link Softmax#expShifted}, the same bits with or without the Vector API) and tanh is built from
 * its {@link Softmax#exp}. So {@link #refresh} writes exactly the logits of {@link #logits},
 * {@link #logitsCached} on the sequence of the last refresh gives them bit for bit for any window,
 * and a seed gives the same bits on every JVM. The last block only runs its attention, MLP and
 * output for the positions whose logits are asked for.
 *
 * <p><b>File</b> ({@link #save}, {@link #load}): a big-endian header and the parameters as float64
 * in a fixed order, described in {@code docs/tiny-transformer-format.md}. Saving is deterministic.
 *
 * <p>The model is immutable and thread-safe; a {@link CachedMaskedLm.Cache} belongs to one row and
 * one thread.
 */
public final class TinyTransformerLm implements CachedMaskedLm {
  /** The default std of the initial logits. */
  public static final double DEFAULT_LOGIT_SCALE = 3.0;
  /** The file's magic number, the ASCII bytes {@code FSTT}. */
  static final int MAGIC = 0x46535454;
  static final int VERSION = 1;
  private static final int MAX_NAME_BYTES = 1024;
  private static final double LAYER_NORM_EPSILON = 1e-5;
  private static final double GELU_SCALE = Math.sqrt(2 / Math.PI);

  /**
   * The shape of the network.
   *
   * @param width     the model width d (1 to 1024), a multiple of {@code heads}
   * @param heads     the attention heads, each of width {@code d / heads}
   * @param layers    the transformer blocks (1 to 64)
   * @param maxLength the positions of the position embedding, the longest sequence (1 to 65536)
   */
  public record Config(int width, int heads, int layers, int maxLength) {
    /** d = 32, 2 heads, 2 layers, 256 positions. */
    public static final Config DEFAULT = new Config(32, 2, 2, 256);

    public Config {
      requireIn("width", width, 1, 1024);
      requireIn("heads", heads, 1, width);
      if (width % heads != 0) {
        throw BadInputException.of("heads", heads, "a divisor of the width " + width);
      }
      requireIn("layers", layers, 1, 64);
      requireIn("maxLength", maxLength, 1, 1 << 16);
    }
  }

  /** One parameter tensor: its name in messages, its shape (row-major) and its initial values. */
  private record Tensor(String name, int rows, int cols, double std, double constant) {
    int size() {
      return rows * cols;
    }
  }

  /** The parameters of one block, in file order. Weights are {@code in x out}: {@code y = b + x W}. */
  private record Block(double[] norm1Gain, double[] norm1Bias, double[] queryWeight, double[] queryBias,
      double[] keyWeight, double[] keyBias, double[] valueWeight, double[] valueBias,
      double[] mixWeight, double[] mixBias, double[] norm2Gain, double[] norm2Bias,
      double[] upWeight, double[] upBias, double[] downWeight, double[] downBias) {}

  private final String name;
  private final Tokenizer tokenizer;
  private final Config config;
  private final int vocab;
  private final int d;
  private final int heads;
  private final int headWidth;
  private final double[][] tensors;
  private final double[] tokenEmbedding;
  private final double[] positionEmbedding;
  private final Block[] blocks;
  private final double[] finalGain;
  private final double[] finalBias;
  private final double[] outWeight;
  private final double[] outBias;

  private TinyTransformerLm(String name, Tokenizer tokenizer, Config config, double[][] tensors) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.config = config;
    this.vocab = tokenizer.vocabulary().size();
    this.d = config.width();
    this.heads = config.heads();
    this.headWidth = d / heads;
    this.tensors = tensors;
    int k = 0;
    tokenEmbedding = tensors[k++];
    positionEmbedding = tensors[k++];
    blocks = new Block[config.layers()];
    for (int l = 0; l < blocks.length; l++) {
      blocks[l] = new Block(tensors[k++], tensors[k++], tensors[k++], tensors[k++], tensors[k++], tensors[k++],
          tensors[k++], tensors[k++], tensors[k++], tensors[k++], tensors[k++], tensors[k++], tensors[k++],
          tensors[k++], tensors[k++], tensors[k++]);
    }
    finalGain = tensors[k++];
    finalBias = tensors[k++];
    outWeight = tensors[k++];
    outBias = tensors[k];
  }

  /** The parameter tensors in file order (the order of the fields of {@link Block} inside a block). */
  private static List<Tensor> layout(int vocab, Config config, double logitScale) {
    int d = config.width();
    int up = 4 * d;
    double std = 1 / Math.sqrt(d);
    List<Tensor> t = new ArrayList<>();
    t.add(new Tensor("token_embedding", vocab + 1, d, 1, 0));
    t.add(new Tensor("position_embedding", config.maxLength(), d, 1, 0));
    for (int l = 0; l < config.layers(); l++) {
      String p = "layer" + l + ".";
      t.add(new Tensor(p + "norm1.gain", 1, d, 0, 1));
      t.add(new Tensor(p + "norm1.bias", 1, d, 0, 0));
      for (String map : List.of("query", "key", "value", "mix")) {
        t.add(new Tensor(p + map + ".weight", d, d, std, 0));
        t.add(new Tensor(p + map + ".bias", 1, d, 0, 0));
      }
      t.add(new Tensor(p + "norm2.gain", 1, d, 0, 1));
      t.add(new Tensor(p + "norm2.bias", 1, d, 0, 0));
      t.add(new Tensor(p + "up.weight", d, up, std, 0));
      t.add(new Tensor(p + "up.bias", 1, up, 0, 0));
      t.add(new Tensor(p + "down.weight", up, d, 1 / Math.sqrt(up), 0));
      t.add(new Tensor(p + "down.bias", 1, d, 0, 0));
    }
    t.add(new Tensor("final_norm.gain", 1, d, 0, 1));
    t.add(new Tensor("final_norm.bias", 1, d, 0, 0));
    t.add(new Tensor("output.weight", d, vocab, logitScale * std, 0));
    t.add(new Tensor("output.bias", 1, vocab, 0, 0));
    for (Tensor tensor : t) {
      if ((long) tensor.rows() * tensor.cols() > Integer.MAX_VALUE - 8) {
        throw BadInputException.of(tensor.name(), tensor.rows() + " x " + tensor.cols(),
            "fewer than 2^31 entries (a smaller vocabulary, width or maxLength)");
      }
    }
    return t;
  }

  /** A model with {@link Config#DEFAULT} and {@link #DEFAULT_LOGIT_SCALE}, initialised from {@code seed}. */
  public static TinyTransformerLm random(Tokenizer tokenizer, long seed) {
    return random(tokenizer, Config.DEFAULT, DEFAULT_LOGIT_SCALE, seed);
  }

  /**
   * A model with random weights (see the class comment): every tensor in file order, each entry in
   * order, from one {@link Rng} seeded with {@code seed}. Named {@code tiny-transformer}.
   *
   * @param logitScale the std of the initial logits, a finite number > 0
   */
  public static TinyTransformerLm random(Tokenizer tokenizer, Config config, double logitScale, long seed) {
    BadInputException.requirePositive("logitScale", logitScale);
    List<Tensor> layout = layout(tokenizer.vocabulary().size(), config, logitScale);
    Rng rng = new Rng(seed);
    double[][] tensors = new double[layout.size()][];
    for (int k = 0; k < tensors.length; k++) {
      Tensor t = layout.get(k);
      double[] values = new double[t.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = t.std() > 0 ? t.std() * rng.nextGaussian() : t.constant();
      }
      tensors[k] = values;
    }
    return new TinyTransformerLm("tiny-transformer", tokenizer, config, tensors);
  }

  @Override
  public String name() {
    return name;
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
    return config.maxLength();
  }

  /** The shape of the network. */
  public Config config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // Forward passes

  @Override
  public void logits(int[][] x, int from, int to, double[][] out) {
    if (out.length < x.length) {
      throw BadInputException.of("out", out.length + " rows", "at least " + x.length + ", one per row of x");
    }
    Work work = null;
    for (int r = 0; r < x.length; r++) {
      int[] row = x[r];
      checkRow("x[" + r + "]", row);
      if (row.length != x[0].length) {
        throw BadInputException.of("x[" + r + "] length", row.length,
            x[0].length + ", the length of x[0] (all rows of one length)");
      }
      checkRange("positions", from, to, row.length);
      checkOut("out[" + r + "]", out[r], to - from);
      if (work == null) {
        work = new Work(row.length);
      }
      forward(row, 0, row.length, from, to, null, null, out[r], work);
    }
  }

  @Override
  public Cache newCache(int length) {
    requireIn("length", length, 1, config.maxLength());
    return new KvCache(this, length);
  }

  @Override
  public void refresh(Cache cache, int[] x, int from, int to, double[] out) {
    KvCache c = own(cache, x);
    checkRange("positions", from, to, x.length);
    checkOut("out", out, to - from);
    forward(x, 0, x.length, from, to, null, c, out, new Work(x.length));
    c.filled = true;
  }

  @Override
  public void logitsCached(Cache cache, int[] x, int start, int end, double[] out) {
    KvCache c = own(cache, x);
    checkRange("window", start, end, x.length);
    checkOut("out", out, end - start);
    if (!c.filled) {
      throw BadInputException.of("cache", "empty", "a cache filled by refresh(...) before logitsCached");
    }
    forward(x, start, end, start, end, c, null, out, new Work(x.length));
  }

  /** The keys and values of every layer for one row of {@code length} positions. */
  private static final class KvCache implements Cache {
    final TinyTransformerLm owner;
    final int length;
    final double[][] keys;
    final double[][] values;
    boolean filled;

    KvCache(TinyTransformerLm owner, int length) {
      this.owner = owner;
      this.length = length;
      int layers = owner.blocks.length;
      int size = length * owner.d;
      keys = new double[layers][size];
      values = new double[layers][size];
    }

    @Override
    public String toString() {
      return "cache of " + length + " positions of " + owner.name;
    }
  }

  /**
   * The work arrays of one call: per-position vectors at offset {@code i * d}, except the keys, which
   * are stored transposed (component c of position i at {@code c * length + i}), here and in the cache.
   */
  private final class Work {
    final double[] h;
    final double[] normed;
    final double[] q;
    final double[] k;
    final double[] v;
    final double[] mixed = new double[d];
    final double[] delta = new double[d];
    final double[] up = new double[4 * d];
    final double[] scores;
    final double[] weights;
    final double[] blockSums;

    Work(int length) {
      int size = length * d;
      h = new double[size];
      normed = new double[size];
      q = new double[size];
      k = new double[size];
      v = new double[size];
      scores = new double[length];
      weights = new double[length];
      blockSums = new double[Softmax.blocks(length)];
    }
  }

  /**
   * The hidden states of positions {@code [start, end)} through every block, reading the keys and
   * values of the other positions from {@code cached} (null when the window is the whole row) and
   * copying every block's keys and values into {@code store} when it is not null. The last block and
   * the output run only for {@code [from, to)}, a part of the window, whose logits go to {@code out}.
   */
  private void forward(int[] x, int start, int end, int from, int to, KvCache cached, KvCache store,
      double[] out, Work w) {
    int n = x.length;
    for (int i = start; i < end; i++) {
      int token = x[i] * d;
      int o = i * d;
      for (int c = 0; c < d; c++) {
        w.h[o + c] = tokenEmbedding[token + c] + positionEmbedding[o + c];
      }
    }
    for (int l = 0; l < blocks.length; l++) {
      Block b = blocks[l];
      boolean last = l == blocks.length - 1;
      int queryStart = last ? from : start;
      int queryEnd = last ? to : end;
      if (cached != null) {
        System.arraycopy(cached.keys[l], 0, w.k, 0, n * d);
        System.arraycopy(cached.values[l], 0, w.v, 0, n * d);
      }
      for (int i = start; i < end; i++) {
        int o = i * d;
        layerNorm(w.h, o, b.norm1Gain, b.norm1Bias, w.normed, o);
        linear(w.normed, o, d, b.keyWeight, b.keyBias, w.delta, 0);
        for (int c = 0; c < d; c++) {
          w.k[c * n + i] = w.delta[c];
        }
        linear(w.normed, o, d, b.valueWeight, b.valueBias, w.v, o);
        if (i >= queryStart && i < queryEnd) {
          linear(w.normed, o, d, b.queryWeight, b.queryBias, w.q, o);
        }
      }
      if (store != null) {
        System.arraycopy(w.k, 0, store.keys[l], 0, n * d);
        System.arraycopy(w.v, 0, store.values[l], 0, n * d);
      }
      for (int i = queryStart; i < queryEnd; i++) {
        int o = i * d;
        attend(w, i, n);
        linear(w.mixed, 0, d, b.mixWeight, b.mixBias, w.delta, 0);
        for (int c = 0; c < d; c++) {
          w.h[o + c] += w.delta[c];
        }
        layerNorm(w.h, o, b.norm2Gain, b.norm2Bias, w.normed, o);
        linear(w.normed, o, d, b.upWeight, b.upBias, w.up, 0);
        for (int j = 0; j < w.up.length; j++) {
          w.up[j] = gelu(w.up[j]);
        }
        linear(w.up, 0, w.up.length, b.downWeight, b.downBias, w.delta, 0);
        for (int c = 0; c < d; c++) {
          w.h[o + c] += w.delta[c];
        }
      }
    }
    for (int i = from; i < to; i++) {
      int o = i * d;
      layerNorm(w.h, o, finalGain, finalBias, w.normed, o);
      linear(w.normed, o, d, outWeight, outBias, out, (i - from) * vocab);
    }
  }

  /**
   * Multi-head attention of query {@code i} over the keys {@code 0 .. n-1}: per head
   * {@code sum_j softmax_j(q_i . k_j / sqrt(d_head)) v_j} into {@code w.mixed}. The dot products of
   * all keys are accumulated together over the head's components (keys are stored transposed, so the
   * inner loop runs over keys and vectorises), then the softmax kernel gives the weights.
   */
  private void attend(Work w, int i, int n) {
    double scale = 1 / Math.sqrt(headWidth);
    double[] scores = w.scores;
    for (int head = 0; head < heads; head++) {
      int off = head * headWidth;
      Arrays.fill(scores, 0, n, 0.0);
      for (int c = off; c < off + headWidth; c++) {
        double qc = w.q[i * d + c];
        int row = c * n;
        for (int j = 0; j < n; j++) {
          scores[j] += qc * w.k[row + j];
        }
      }
      double max = Softmax.max("attention scores", scores, n);
      double sum = Softmax.expShifted(scores, n, max, scale, w.weights, w.blockSums);
      for (int c = 0; c < headWidth; c++) {
        w.mixed[off + c] = 0;
      }
      for (int j = 0; j < n; j++) {
        double p = w.weights[j];
        int vo = j * d + off;
        for (int c = 0; c < headWidth; c++) {
          w.mixed[off + c] += p * w.v[vo + c];
        }
      }
      for (int c = 0; c < headWidth; c++) {
        w.mixed[off + c] /= sum;
      }
    }
  }

  /** {@code out[outOff ..] = bias + in[inOff .. inOff + n) W}, W being {@code n x bias.length} row-major. */
  private static void linear(double[] in, int inOff, int n, double[] weight, double[] bias, double[] out, int outOff) {
    int m = bias.length;
    System.arraycopy(bias, 0, out, outOff, m);
    for (int r = 0; r < n; r++) {
      double value = in[inOff + r];
      int row = r * m;
      for (int c = 0; c < m; c++) {
        out[outOff + c] += value * weight[row + c];
      }
    }
  }

  /** LayerNorm (Ba et al. 2016) of the d values at {@code x[off ..]} into {@code out[outOff ..]}. */
  private void layerNorm(double[] x, int off, double[] gain, double[] bias, double[] out, int outOff) {
    double mean = 0;
    for (int c = 0; c < d; c++) {
      mean += x[off + c];
    }
    mean /= d;
    double variance = 0;
    for (int c = 0; c < d; c++) {
      double u = x[off + c] - mean;
      variance += u * u;
    }
    variance /= d;
    double inverse = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
    for (int c = 0; c < d; c++) {
      out[outOff + c] = (x[off + c] - mean) * inverse * gain[c] + bias[c];
    }
  }

  /** GELU, tanh form (Hendrycks and Gimpel 2016): {@code u/2 (1 + tanh(sqrt(2/pi) (u + 0.044715 u^3)))}. */
  static double gelu(double u) {
    return 0.5 * u * (1 + tanh(GELU_SCALE * (u + 0.044715 * u * u * u)));
  }

  /**
   * tanh from {@link Softmax#exp}, which gives the same bits on every JVM (Math.tanh need not):
   * {@code (1 - e^-2a) / (1 + e^-2a)} with {@code a = |z|} clamped at 20, where tanh rounds to 1.
   */
  static double tanh(double z) {
    double a = Math.min(Math.abs(z), 20);
    double e = Softmax.exp(-2 * a);
    return Math.copySign((1 - e) / (1 + e), z);
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  private KvCache own(Cache cache, int[] x) {
    if (!(cache instanceof KvCache c) || c.owner != this) {
      throw BadInputException.of("cache", cache, "a cache from newCache(...) of this " + name);
    }
    checkRow("x", x);
    if (x.length != c.length) {
      throw BadInputException.of("x length", x.length, c.length + ", the length of the cache");
    }
    return c;
  }

  private void checkRow(String what, int[] row) {
    requireIn(what + " length", row.length, 1, config.maxLength());
    for (int i = 0; i < row.length; i++) {
      if (row[i] < 0 || row[i] > vocab) {
        throw BadInputException.of(what + "[" + i + "]", row[i],
            "a token id in [0, " + vocab + ") or the mask id " + vocab);
      }
    }
  }

  private static void checkRange(String what, int from, int to, int length) {
    if (from < 0 || to > length || from > to) {
      throw BadInputException.of(what, "[" + from + ", " + to + ")", "a range inside [0, " + length + ")");
    }
  }

  private void checkOut(String what, double[] out, int positions) {
    long needed = (long) positions * vocab;
    if (out.length < needed) {
      throw BadInputException.of(what, out.length + " entries",
          "at least " + needed + " (" + positions + " positions x " + vocab + " logits)");
    }
  }

  private static void requireIn(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw BadInputException.of(what, value, "an integer in [" + min + ", " + max + "]");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // File

  /** Writes the model to {@code file} (docs/tiny-transformer-format.md), through a temporary file. */
  public void save(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        byte[] tokenizerName = tokenizer.name().getBytes(StandardCharsets.UTF_8);
        out.writeInt(tokenizerName.length);
        out.write(tokenizerName);
        for (int value : new int[] {vocab, d, heads, blocks.length, config.maxLength()}) {
          out.writeInt(value);
        }
        for (double[] tensor : tensors) {
          for (double value : tensor) {
            out.writeDouble(value);
          }
        }
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny-transformer file " + file, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the temporary file stays behind; the model file itself is complete or absent
      }
    }
  }

  /**
   * The model saved in {@code file}, over {@code tokenizer} (the file holds only the tokenizer's name
   * and vocabulary size, which must match). Named {@code tiny-transformer:<file name>}. A missing,
   * truncated or malformed file, a shape or a size that does not match, or a parameter that is not
   * finite is a {@link BadInputException} naming the file and the field.
   */
  public static TinyTransformerLm load(Path file, Tokenizer tokenizer) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("tiny-transformer file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tiny-transformer file " + file, e);
    }
    return parse(bytes, "tiny-transformer file " + file, tokenizer, "tiny-transformer:" + file.getFileName());
  }

  private static TinyTransformerLm parse(byte[] bytes, String where, Tokenizer tokenizer, String name) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = readInt(in, where, "magic");
    if (magic != MAGIC) {
      throw BadInputException.of(where + ": magic", String.format("0x%08X", magic),
          String.format("0x%08X (\"FSTT\"): this is not a fewstep tiny-transformer file", MAGIC));
    }
    int version = readInt(in, where, "version");
    if (version != VERSION) {
      throw BadInputException.of(where + ": version", version, String.valueOf(VERSION));
    }
    int nameBytes = readInt(in, where, "tokenizer name length");
    if (nameBytes < 0 || nameBytes > MAX_NAME_BYTES || nameBytes > in.remaining()) {
      throw BadInputException.of(where + ": tokenizer name length", nameBytes,
          "a byte count in [0, " + Math.min(MAX_NAME_BYTES, in.remaining()) + "]");
    }
    byte[] raw = new byte[nameBytes];
    in.get(raw);
    String tokenizerName = new String(raw, StandardCharsets.UTF_8);
    if (!tokenizerName.equals(tokenizer.name())) {
      throw BadInputException.of(where + ": tokenizer", "'" + tokenizerName + "'",
          "'" + tokenizer.name() + "', the name of the given tokenizer");
    }
    int vocab = readInt(in, where, "vocabulary size");
    if (vocab != tokenizer.vocabulary().size()) {
      throw BadInputException.of(where + ": vocabulary size", vocab,
          tokenizer.vocabulary().size() + ", the size of the given " + tokenizer.name() + " tokenizer");
    }
    int width = readInt(in, where, "width");
    int heads = readInt(in, where, "heads");
    int layers = readInt(in, where, "layers");
    int maxLength = readInt(in, where, "maxLength");
    Config config;
    List<Tensor> layout;
    try {
      config = new Config(width, heads, layers, maxLength);
      layout = layout(vocab, config, 1);
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
    long expected = in.position();
    for (Tensor t : layout) {
      expected += 8L * t.size();
    }
    if (bytes.length != expected) {
      throw BadInputException.of(where + ": file size", bytes.length + " bytes", expected + " bytes, the size for the"
          + " header's shapes (vocabulary " + vocab + ", " + config + ")");
    }
    double[][] tensors = new double[layout.size()][];
    for (int k = 0; k < tensors.length; k++) {
      Tensor t = layout.get(k);
      double[] values = new double[t.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.getDouble();
        if (!Double.isFinite(values[i])) {
          String index = t.rows() == 1 ? "[" + i + "]" : "[" + i / t.cols() + "][" + i % t.cols() + "]";
          throw BadInputException.of(where + ": " + t.name() + index, values[i], "a finite number");
        }
      }
      tensors[k] = values;
    }
    return new TinyTransformerLm(name, tokenizer, config, tensors);
  }

  private static int readInt(ByteBuffer in, String where, String field) {
    if (in.remaining() < 4) {
      throw BadInputException.of(where + ": " + field, "end of file at byte " + in.position(),
          "a 4-byte int (the file is truncated)");
    }
    return in.getInt();
  }
}
