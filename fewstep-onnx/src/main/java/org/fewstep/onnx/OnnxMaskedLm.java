package org.fewstep.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.math.Floats;
import org.fewstep.onnx.text.HfTokenizer;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.token.SymbolTokenizer;

/**
 * A masked-diffusion LM exported to ONNX (a mask predictor, discrete-and-data.md 0.1): a folder with
 * {@code model.onnx}, {@code config.json} and the tokenizer ({@code tokenizer.json}, unless the config
 * lists {@code symbols}). The model takes {@code input_ids} [batch, length] int64
 * (and, if it declares it, {@code attention_mask} [batch, length] int64, fed all ones) and returns
 * {@code logits} [batch, length, vocab] float32 for every position. One {@link #logits} call is one
 * batched session run over all its rows: one NFE per row.
 *
 * <p>{@code config.json} (other fields, such as the rest of a Hugging Face config, are ignored):
 * <ul>
 *   <li>{@code vocab_size} (required): the logits per position, which must match the model's output
 *       and the tokenizer;</li>
 *   <li>{@code mask_token_id} (default {@code vocab_size}): the id the model reads as the mask.
 *       fewstep's mask id is always {@link #vocabSize()}; it is mapped to this id on the way in. An
 *       id inside the vocabulary (LLaDA's layout) is a token the model can predict: its logit is
 *       written as {@code -Infinity} so that no decoder commits it, and a row holding it is an
 *       error;</li>
 *   <li>{@code max_length} (else {@code max_position_embeddings}, else unbounded): the longest
 *       row;</li>
 *   <li>{@code shift} (default false): Dream-style logits (discrete-and-data.md 0.1, "logit
 *       alignment"), where output position {@code i - 1} holds the prediction of position
 *       {@code i}. The adapter undoes it as Dream's {@code generation_utils.py} does
 *       ({@code cat([logits[:, :1], logits[:, :-1]])}): position {@code i >= 1} reads output
 *       {@code i - 1} and position 0 reads output 0, which is not a prediction of position 0; so
 *       asking for the logits of a masked position 0 is an error (give a prompt, e.g. BOS);</li>
 *   <li>{@code symbols}: a {@link SymbolTokenizer} over these symbols (ids in list order) instead of
 *       {@code tokenizer.json}.</li>
 * </ul>
 *
 * <p>{@code tokenizer.json} is read by {@link HfTokenizer} with {@code vocab_size} ids: ids it does
 * not define (an embedding padded past the tokenizer) and a mask id inside the vocabulary get the
 * logit {@code -Infinity}, so no decoder commits them; special tokens past {@code vocab_size} (a mask
 * the model reads but does not score) are left out.
 *
 * <p>Everything is checked on load (the files, the config's fields, the model's input and output
 * names, ranks and element types, a static output vocabulary against {@code vocab_size}); a
 * symbolic output vocabulary is checked at the first call. Errors are {@link BadInputException}s
 * that name the file and what was expected; a model that returns NaN or {@code +Infinity} is one
 * too. Logits are widened from float32 to double. Inputs and outputs live in reused direct buffers
 * (the output is pinned, so ONNX Runtime writes into it without a copy, backends-and-ecosystem.md
 * 1); calls on one instance are serialized. Close it to release the session.
 */
public final class OnnxMaskedLm implements MaskedLm, AutoCloseable {
  /** The model file of a folder. */
  public static final String MODEL_FILE = "model.onnx";
  /** The config file of a folder. */
  public static final String CONFIG_FILE = "config.json";
  /** The tokenizer file of a folder whose config has no {@code symbols}. */
  public static final String TOKENIZER_FILE = "tokenizer.json";
  /** The input of token ids. */
  public static final String INPUT_IDS = "input_ids";
  /** The optional attention-mask input. */
  public static final String ATTENTION_MASK = "attention_mask";
  /** The output of logits. */
  public static final String LOGITS = "logits";

  private final String name;
  private final Path modelFile;
  private final OnnxSession session;
  private final Tokenizer tokenizer;
  /** Whether {@link #close} closes the tokenizer (one this class opened from the folder). */
  private final boolean ownsTokenizer;
  private final int vocab;
  private final int modelMask;
  private final int maxLength;
  private final boolean shift;
  private final boolean attention;
  /** The ids whose logits are -Infinity: the model's own mask (if inside the vocabulary) and unused ids. */
  private final int[] blocked;

  private LongBuffer ids = OnnxSession.longs(0);
  private LongBuffer ones = OnnxSession.longs(0);
  private FloatBuffer output = OnnxSession.floats(0);
  private long[] staged = new long[0];
  private float[] scratch = new float[0];
  /** Tensors over the buffers for the shape of the last call (reused while it stays the same). */
  private long[] tensorShape;
  private OnnxTensor idsTensor;
  private OnnxTensor maskTensor;
  private OnnxTensor outTensor;
  private Map<String, OnnxTensor> inputs;
  private Map<String, OnnxTensor> pinned;

  /** The parsed {@code config.json}. */
  private record Config(int vocab, int maskId, int maxLength, boolean shift, List<String> symbols) {}

  private OnnxMaskedLm(String name, OnnxSession session, Tokenizer tokenizer, boolean ownsTokenizer, Config config,
      boolean attention) {
    this.name = name;
    this.modelFile = session.file();
    this.session = session;
    this.tokenizer = tokenizer;
    this.ownsTokenizer = ownsTokenizer;
    this.vocab = config.vocab();
    this.modelMask = config.maskId();
    this.maxLength = config.maxLength();
    this.shift = config.shift();
    this.attention = attention;
    Vocabulary v = tokenizer.vocabulary();
    this.blocked = IntStream.range(0, vocab).filter(id -> id == modelMask || !v.isUsed(id)).toArray();
  }

  /**
   * Opens the model folder {@code dir} ({@code model.onnx}, {@code config.json}); the tokenizer comes
   * from the config's {@code symbols}, else from {@code tokenizer.json}.
   */
  public static OnnxMaskedLm load(Path dir, OnnxSession.Options options) {
    return load(dir, options, null);
  }

  /**
   * Opens the model folder {@code dir} with this tokenizer (its vocabulary must have
   * {@code vocab_size} ids), or, if {@code tokenizer} is null, the folder's. This is the seam for
   * tokenizers that neither {@code symbols} nor {@code tokenizer.json} describe.
   */
  public static OnnxMaskedLm load(Path dir, OnnxSession.Options options, Tokenizer tokenizer) {
    if (!Files.isDirectory(dir)) {
      throw BadInputException.of("model folder", dir, "a folder with " + MODEL_FILE + " and " + CONFIG_FILE
          + " (and " + TOKENIZER_FILE + " unless the config lists symbols)");
    }
    Path configFile = dir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw BadInputException.of("config file", configFile,
          "an existing " + CONFIG_FILE + " (vocab_size, mask_token_id, max_length, shift, symbols)");
    }
    Config config = readConfig(configFile);
    Tokenizer tok = tokenizer != null ? tokenizer : folderTokenizer(dir, config, configFile);
    if (tok.vocabulary().size() != config.vocab()) {
      closeOwned(tok, tokenizer);
      throw BadInputException.of("tokenizer " + tok.name() + ": vocabulary size", tok.vocabulary().size(),
          config.vocab() + " (vocab_size of " + configFile + ")");
    }
    OnnxSession session;
    try {
      session = OnnxSession.open(dir.resolve(MODEL_FILE), options);
    } catch (RuntimeException e) {
      closeOwned(tok, tokenizer);
      throw e;
    }
    try {
      boolean attention = checkModel(session, config, configFile);
      return new OnnxMaskedLm("onnx:" + dir, session, tok, tokenizer == null, config, attention);
    } catch (RuntimeException e) {
      session.close();
      closeOwned(tok, tokenizer);
      throw e;
    }
  }

  private static Config readConfig(Path file) {
    String where = file.toString();
    JsonNode root = Json.read(file);
    Json.requireObject(root, where);
    int vocab = integer(root, "vocab_size", where, 1);
    int mask = root.hasNonNull("mask_token_id") ? integer(root, "mask_token_id", where, 0) : vocab;
    int maxLength = Integer.MAX_VALUE;
    if (root.hasNonNull("max_length")) {
      maxLength = integer(root, "max_length", where, 1);
    } else if (root.hasNonNull("max_position_embeddings")) {
      maxLength = integer(root, "max_position_embeddings", where, 1);
    }
    boolean shift = false;
    if (root.hasNonNull("shift")) {
      JsonNode node = root.get("shift");
      if (!node.isBoolean()) {
        throw BadInputException.of(where + ": shift", node, "true or false");
      }
      shift = node.booleanValue();
    }
    List<String> symbols = null;
    if (root.hasNonNull("symbols")) {
      JsonNode node = root.get("symbols");
      if (!node.isArray()) {
        throw BadInputException.of(where + ": symbols", node, "an array of strings (the tokens, in id order)");
      }
      symbols = new ArrayList<>();
      for (int t = 0; t < node.size(); t++) {
        symbols.add(Json.text(node.get(t), where + ": symbols[" + t + "]"));
      }
    }
    return new Config(vocab, mask, maxLength, shift, symbols);
  }

  private static int integer(JsonNode root, String field, String where, int min) {
    JsonNode node = Json.field(root, field, where);
    if (!node.isInt() || node.intValue() < min) {
      throw BadInputException.of(where + ": " + field, node, "an integer >= " + min);
    }
    return node.intValue();
  }

  /** The folder's tokenizer: the config's {@code symbols}, else {@code tokenizer.json}. */
  private static Tokenizer folderTokenizer(Path dir, Config config, Path configFile) {
    if (config.symbols() == null) {
      Path file = dir.resolve(TOKENIZER_FILE);
      if (!Files.isRegularFile(file)) {
        throw BadInputException.of("tokenizer file", file, "an existing " + TOKENIZER_FILE + " (or the token list as "
            + "\"symbols\" in " + configFile + ")");
      }
      return HfTokenizer.load(file, config.vocab(), -1);
    }
    if (config.symbols().size() != config.vocab()) {
      throw BadInputException.of(configFile + ": symbols", config.symbols().size() + " symbols",
          config.vocab() + " (vocab_size)");
    }
    try {
      return new SymbolTokenizer(config.symbols(), false);
    } catch (BadInputException e) {
      throw new BadInputException(configFile + ": symbols: " + e.getMessage(), e);
    }
  }

  /** Closes {@code tok} if this class opened it (it is not the caller's {@code given} one). */
  private static void closeOwned(Tokenizer tok, Tokenizer given) {
    if (tok != given && tok instanceof HfTokenizer hf) {
      hf.close();
    }
  }

  /** Checks the model's inputs and outputs; returns whether it takes an attention mask. */
  private static boolean checkModel(OnnxSession session, Config config, Path configFile) {
    session.requireInput(INPUT_IDS, 2, OnnxJavaType.INT64);
    boolean attention = session.hasInput(ATTENTION_MASK);
    if (attention) {
      session.requireInput(ATTENTION_MASK, 2, OnnxJavaType.INT64);
    }
    for (String input : session.inputs().keySet()) {
      if (!input.equals(INPUT_IDS) && !input.equals(ATTENTION_MASK)) {
        throw BadInputException.of(session.file() + ": input " + input, "present",
            "only " + INPUT_IDS + " and optionally " + ATTENTION_MASK + " (a masked LM without a cache)");
      }
    }
    TensorInfo logits = session.requireOutput(LOGITS, 3, OnnxJavaType.FLOAT);
    long outVocab = logits.getShape()[2];
    if (outVocab >= 0 && outVocab != config.vocab()) {
      throw BadInputException.of(session.file() + ": output " + LOGITS + " vocabulary", outVocab + " (shape "
          + Arrays.toString(logits.getShape()) + ")", config.vocab() + " (vocab_size of " + configFile + ")");
    }
    return attention;
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
    return maxLength;
  }

  /** The id the model itself reads as the mask ({@code mask_token_id}); fewstep's is {@link #maskId()}. */
  public int modelMaskId() {
    return modelMask;
  }

  /** Whether the model's logits are Dream-style shifted (and undone here). */
  public boolean shift() {
    return shift;
  }

  /** The model file. */
  public Path modelFile() {
    return modelFile;
  }

  @Override
  public void logits(int[][] x, int from, int to, double[][] out) {
    int rows = x.length;
    if (rows == 0) {
      return;
    }
    int length = x[0].length;
    check(x, from, to, out, length);
    synchronized (this) {
      stage(x, length);
      run(rows, length);
      read(rows, length, from, to, out);
    }
  }

  private void check(int[][] x, int from, int to, double[][] out, int length) {
    if (length < 1 || length > maxLength) {
      throw BadInputException.of("length of x[0]", length, "1 .. maxLength = " + maxLength + " of " + name);
    }
    if (from < 0 || to > length || from > to) {
      throw BadInputException.of("positions", "[" + from + ", " + to + ")", "a range inside [0, " + length + "]");
    }
    if (out.length < x.length) {
      throw BadInputException.of("out", out.length + " rows", "at least " + x.length + " (one per row of x)");
    }
    for (int r = 0; r < x.length; r++) {
      int[] row = x[r];
      if (row.length != length) {
        throw BadInputException.of("length of x[" + r + "]", row.length, length + " (all rows of one length)");
      }
      if (out[r].length < (to - from) * vocab) {
        throw BadInputException.of("out[" + r + "]", out[r].length + " entries", "at least " + (to - from) * vocab);
      }
      if (shift && from == 0 && to > 0 && row[0] == vocab) {
        throw BadInputException.of("x[" + r + "][0]", "the mask", "a token: " + name + " is shifted (Dream-style), so "
            + "position 0 has no prediction (give a prompt, e.g. a BOS token)");
      }
    }
  }

  /**
   * Checks the ids of {@code x} and writes them, fewstep's mask mapped to the model's, into the
   * {@code input_ids} buffer (through {@link #staged}, for one bulk copy).
   */
  private void stage(int[][] x, int length) {
    int n = x.length * length;
    if (staged.length < n) {
      staged = new long[n];
    }
    int k = 0;
    for (int r = 0; r < x.length; r++) {
      int[] row = x[r];
      for (int j = 0; j < length; j++) {
        int t = row[j];
        // one test for the usual case, a token: else fewstep's mask (mapped) or an error
        if (t < 0 || t >= vocab || t == modelMask) {
          if (t == vocab) {
            staged[k++] = modelMask;
            continue;
          }
          throw BadInputException.of("x[" + r + "][" + j + "]", t, "a token id in [0, " + vocab + ") or the mask id "
              + vocab + (modelMask < vocab ? ", not " + modelMask + " (the model's own mask token)" : ""));
        }
        staged[k++] = t;
      }
    }
    if (ids.capacity() < n) {
      closeTensors();
      ids = OnnxSession.longs(Math.max(n, 2 * ids.capacity()));
    }
    ids.clear();
    ids.put(staged, 0, n).flip();
  }

  /** One session run over the staged rows; the logits land in {@link #output}. */
  private void run(int rows, int length) {
    int n = rows * length;
    if (attention && ones.capacity() < n) {
      closeTensors();
      ones = OnnxSession.longs(Math.max(n, 2 * ones.capacity()));
      for (int k = 0; k < ones.capacity(); k++) {
        ones.put(k, 1L);
      }
    }
    long m = (long) n * vocab;
    if (m > Integer.MAX_VALUE) {
      throw BadInputException.of("rows x length x vocab", m, "at most " + Integer.MAX_VALUE + " logits per call");
    }
    if (output.capacity() < m) {
      closeTensors();
      output = OnnxSession.floats((int) Math.max(m, Math.min(Integer.MAX_VALUE, 2L * output.capacity())));
    }
    output.clear().limit((int) m);
    long[] shape = {rows, length};
    long[] outShape = {rows, length, vocab};
    try {
      if (!Arrays.equals(shape, tensorShape)) { // the tensors wrap the buffers: new ones only for a new shape
        closeTensors();
        idsTensor = OnnxTensor.createTensor(session.env(), ids, shape);
        if (attention) {
          ones.clear().limit(n);
          maskTensor = OnnxTensor.createTensor(session.env(), ones, shape);
        }
        outTensor = OnnxTensor.createTensor(session.env(), output, outShape);
        inputs = attention ? Map.of(INPUT_IDS, idsTensor, ATTENTION_MASK, maskTensor) : Map.of(INPUT_IDS, idsTensor);
        pinned = Map.of(LOGITS, outTensor);
        tensorShape = shape;
      }
      try (OrtSession.Result ignored = session.session().run(inputs, pinned)) {
        // the logits are in the pinned output buffer
      }
    } catch (OrtException e) {
      closeTensors();
      throw new BadInputException(modelFile + ": ONNX Runtime failed on " + INPUT_IDS + " " + Arrays.toString(shape)
          + ": expected " + LOGITS + " " + Arrays.toString(outShape) + " (vocab_size " + vocab + " of the config) ("
          + e.getMessage() + ")", e);
    }
  }

  /** Closes the tensors of the last shape (they are made again for the next call). */
  private void closeTensors() {
    close(idsTensor);
    close(maskTensor);
    close(outTensor);
    idsTensor = null;
    maskTensor = null;
    outTensor = null;
    tensorShape = null;
  }

  private static void close(OnnxTensor tensor) {
    if (tensor != null) {
      tensor.close();
    }
  }

  /**
   * Widens the logits of positions [from, to) into {@code out}, undoing the shift, checking for NaN
   * and {@code +Infinity}: per row one bulk copy of the rows it needs out of the direct buffer, then
   * {@link Floats#widen}, whose maximum flags a bad value (only a bad row is searched).
   */
  private void read(int rows, int length, int from, int to, double[][] out) {
    int span = (to - from) * vocab;
    // all positions of unshifted rows are one block of the output: one copy for every row
    boolean whole = !shift && from == 0 && to == length;
    int need = whole ? rows * span : span;
    if (scratch.length < need) {
      scratch = new float[need];
    }
    if (whole) {
      output.get(0, scratch, 0, need);
    }
    // output row of position i: i, or with a shift max(i - 1, 0)
    boolean first = shift && from == 0 && to > 0; // position 0 reads output 0, then i reads i - 1
    int src = !shift ? from : first ? 0 : from - 1;
    for (int r = 0; r < rows; r++) {
      int base = r * length * vocab;
      int at = whole ? base : 0; // where row r's logits are in scratch
      if (whole) {
        // copied above
      } else if (first) {
        output.get(base, scratch, 0, vocab);
        output.get(base, scratch, vocab, span - vocab);
      } else {
        output.get(base + src * vocab, scratch, 0, span);
      }
      double[] dst = out[r];
      if (!(Floats.widen(scratch, at, dst, 0, span) < Float.POSITIVE_INFINITY)) {
        throw badLogit(r, from, at, span);
      }
      for (int id : blocked) {
        for (int put = id; put < span; put += vocab) {
          dst[put] = Double.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /** The error for the first NaN or {@code +Infinity} in row {@code r}'s copied logits. */
  private BadInputException badLogit(int r, int from, int at, int span) {
    int k = Floats.firstNotBelowInfinity(scratch, at, span);
    int i = from + k / vocab;
    int position = shift ? Math.max(i - 1, 0) : i;
    return BadInputException.of(modelFile + ": " + LOGITS + "[" + r + "][" + position + "][" + k % vocab + "]",
        scratch[at + k], "a finite logit or -Infinity");
  }

  @Override
  public synchronized void close() {
    closeTensors();
    session.close();
    if (ownsTokenizer) {
      closeOwned(tokenizer, null);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
