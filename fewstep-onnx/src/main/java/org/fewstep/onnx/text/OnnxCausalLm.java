package org.fewstep.onnx.text;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.math.Floats;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.onnx.OnnxSession;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * A causal language model exported by Hugging Face optimum with {@code --task text-generation-with-past}
 * (optimum's {@code add_past_key_values} layout; backends-and-ecosystem.md 1(b)), run by ONNX Runtime with
 * its key/value cache. The folder holds {@code model.onnx}, {@code tokenizer.json} (read by
 * {@link HfTokenizer}), {@code config.json} and, optionally, {@code generation_config.json}
 * ({@link #generationDefaults()}).
 *
 * <p>The layout is read from the model's input names on load: {@code input_ids} [batch, seq],
 * {@code attention_mask} [batch, past + seq], {@code position_ids} [batch, seq] where present (Llama,
 * Mistral, Qwen 2, Phi...), and {@code past_key_values.{i}.key/value} [batch, kv_heads, past, head_dim],
 * with outputs {@code logits} [batch, seq, vocab] and {@code present.{i}.key/value}. Other layouts are a
 * {@link BadInputException} that names the file and what was expected: the merged decoder of older optimum
 * versions ({@code use_cache_branch}), the fused {@code key_value} cache of Bloom and GPTBigCode, an export
 * without a cache, and any other input.
 *
 * <p>A state keeps the {@code present} tensors ONNX Runtime returned as the next call's
 * {@code past_key_values}, without copying them; {@link LmState#append} of k tokens is one call
 * ({@code input_ids} [1, k], positions P..P+k-1, a mask of P+k ones) that returns k + 1 rows, the first
 * known from the previous call; {@link LmState#truncate} slices the cache by copying it (O(cache), once
 * per rejection). Forks share the (immutable) cache tensors, which are reference-counted: a tensor is
 * closed as soon as no state uses it ({@link State#close()} releases a state's share at once; a state
 * that is merely dropped releases it when garbage-collected). Logits are ONNX Runtime's float32 values
 * widened to double; the ids the tokenizer does not define (an embedding padded past the vocabulary) get
 * {@code -Infinity}. The logits output is pinned to a reused direct buffer and only the rows asked for
 * are read from it: {@link LmState#prefill} of a long prompt widens its last row and picks each
 * token's own logit, never the whole [prompt, vocab] block.
 *
 * <p>Bit-identical rollback: ONNX Runtime's CPU kernels compute a position's keys, values and logits
 * the same way in every call of two or more tokens, but a call of one token takes a matrix-vector path
 * that differs in the last bits (about 1e-6 on the toy model). A truncation inside the last call's rows
 * (a speculative rollback) keeps the cache up to the prefix and the row after it; an earlier truncation
 * cuts the cache two positions short of the prefix, and the next call feeds those two again. So for a
 * state built by calls of two or more tokens, truncating and continuing gives bit for bit the logits
 * of a fresh state fed the kept prefix in one call and then the same continuation (what the tests
 * check); any other split of the calls agrees within float32 rounding.
 *
 * <p>A state starts after the model's start token when {@code generation_config.json} or
 * {@code config.json} names a {@code bos_token_id} (what transformers' {@code generate} feeds for an empty
 * prompt): the first row is the distribution of the first token after it, and positions count from it.
 * Without one, the first row is uniform over the vocabulary, as the model gives none. The tokenizer
 * never adds the start token itself.
 *
 * <p>Instances are thread-safe (calls are serialized: they share the input and logits buffers); states are not. Close the
 * model to free the session; a tree of drafts is scored node by node (the exported 2-D attention mask
 * cannot express a tree mask).
 */
public final class OnnxCausalLm implements LanguageModel, AutoCloseable {

  public static final String MODEL_FILE = "model.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String CONFIG_FILE = "config.json";
  public static final String GENERATION_FILE = "generation_config.json";

  /**
   * Logits kept per state from its last call (rows after the positions a rollback may return to): all
   * rows up to this many floats, at least 2 rows.
   */
  private static final int KEPT_FLOATS = 1 << 22;

  private static final Cleaner CLEANER = Cleaner.create();
  private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
  private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");
  private static final Pattern FUSED = Pattern.compile("(past_key_values|present)\\.\\d+\\.key_value");

  /**
   * The model's cache layout.
   *
   * @param layers      number of layers (pairs of key and value tensors)
   * @param positionIds whether the model takes {@code position_ids}
   * @param kvHeads     key/value heads
   * @param headDim     head dimension
   * @param vocabSize   logits per position
   * @param idType      the element type of {@code input_ids}, {@code attention_mask} and {@code position_ids}
   */
  public record Layout(int layers, boolean positionIds, int kvHeads, int headDim, int vocabSize, OnnxJavaType idType) {}

  /**
   * The registry component {@code onnx:DIR[,threads=N][,cuda][,device=D]} that loads a folder, for
   * {@code LanguageModels.registry().register(OnnxCausalLm.COMPONENT)} where fewstep-onnx is on the
   * class path.
   */
  public static final Component<LanguageModel> COMPONENT = new Component<>("onnx",
      "causal LM exported by Hugging Face optimum (--task text-generation-with-past) from a folder with model.onnx, "
          + "tokenizer.json, config.json and generation_config.json, run by ONNX Runtime with its key/value cache",
      "optimum add_past_key_values layout; backends-and-ecosystem.md 1(b)",
      List.of(Option.text("dir", null, "the model folder").asRequiredPositional(),
          Option.integer("threads", 1, 0, 1024, "ONNX Runtime intra-op threads (0: all cores)"),
          Option.flag("cuda", false, "run on the CUDA execution provider (the gpu build)"),
          Option.integer("device", 0, 0, 64, "CUDA device id")),
      o -> load(Path.of(o.get("dir")), new OnnxSession.Options(o.getInt("threads"), o.getBool("cuda"), o.getInt("device"))));

  private final Path dir;
  private final OnnxSession session;
  private final HfTokenizer tokenizer;
  private final Layout layout;
  private final GenerationDefaults defaults;
  private final int maxPositions;
  private final int bos;
  private final boolean[] used;
  /** The ids the tokenizer does not define: logit -Infinity. */
  private final int[] unused;
  private final String[] pastNames;
  private final Map<String, Integer> presentSlots;
  private final AtomicLong openTensors = new AtomicLong();
  private final Cache empty;

  private OnnxCausalLm(Path dir, OnnxSession session, HfTokenizer tokenizer, Layout layout, GenerationDefaults defaults,
      int maxPositions) {
    this.dir = dir;
    this.session = session;
    this.tokenizer = tokenizer;
    this.layout = layout;
    this.defaults = defaults;
    this.maxPositions = maxPositions;
    this.bos = defaults.bosTokenId();
    Vocabulary v = tokenizer.vocabulary();
    this.used = new boolean[v.size()];
    for (int id = 0; id < used.length; id++) {
      used[id] = v.isUsed(id);
    }
    this.unused = IntStream.range(0, used.length).filter(id -> !used[id]).toArray();
    this.pastNames = new String[2 * layout.layers()];
    this.presentSlots = new HashMap<>();
    for (int l = 0; l < layout.layers(); l++) {
      pastNames[2 * l] = "past_key_values." + l + ".key";
      pastNames[2 * l + 1] = "past_key_values." + l + ".value";
      presentSlots.put("present." + l + ".key", 2 * l);
      presentSlots.put("present." + l + ".value", 2 * l + 1);
    }
    OnnxTensor[] none = new OnnxTensor[pastNames.length];
    for (int i = 0; i < none.length; i++) {
      none[i] = floatTensor(ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()), 0);
    }
    this.empty = new Cache(none, 0, null);
  }

  /** Loads the folder {@code dir} with one intra-op thread on the CPU. */
  public static OnnxCausalLm load(Path dir) {
    return load(dir, OnnxSession.Options.DEFAULT);
  }

  /** Loads the folder {@code dir} (see the class comment for its files) with {@code options}. */
  public static OnnxCausalLm load(Path dir, OnnxSession.Options options) {
    String expected = "a folder with " + MODEL_FILE + ", " + TOKENIZER_FILE + " and " + CONFIG_FILE
        + " (an optimum text-generation-with-past export)";
    if (!Files.isDirectory(dir)) {
      throw BadInputException.of("model folder", dir, expected);
    }
    Path modelFile = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(modelFile)) {
      if (Files.isRegularFile(dir.resolve("decoder_model_merged.onnx"))
          || Files.isRegularFile(dir.resolve("decoder_with_past_model.onnx"))) {
        throw BadInputException.of(modelFile.toString(), "missing (the folder has decoder_model_merged.onnx or "
            + "decoder_with_past_model.onnx: the layout of optimum before 1.14)", "a single " + MODEL_FILE
            + " with past_key_values inputs: re-export with a current optimum, --task text-generation-with-past");
      }
      throw BadInputException.of(modelFile.toString(), "missing", expected);
    }
    Path tokenizerFile = dir.resolve(TOKENIZER_FILE);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw BadInputException.of(tokenizerFile.toString(), "missing", expected + "; a Hugging Face tokenizers file");
    }
    Path configFile = dir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw BadInputException.of(configFile.toString(), "missing", expected + "; the transformers config");
    }
    JsonNode config = Json.read(configFile);
    Json.requireObject(config, configFile.toString());
    GenerationDefaults defaults = GenerationDefaults.read(dir.resolve(GENERATION_FILE), config, configFile);
    int maxPositions = configInt(config, configFile, 0, "max_position_embeddings", "n_positions", "n_ctx", "seq_length");
    OnnxSession session = OnnxSession.open(modelFile, options);
    try {
      Layout layout = detect(session, config, configFile);
      int configured = configInt(config, configFile, -1, "num_hidden_layers", "n_layer", "num_layers");
      if (configured >= 0 && configured != layout.layers()) {
        throw BadInputException.of(configFile + ": num_hidden_layers", configured, layout.layers()
            + " (the model has past_key_values for " + layout.layers() + " layers)");
      }
      HfTokenizer tokenizer = HfTokenizer.load(tokenizerFile, layout.vocabSize(), defaults.eosTokenId());
      int bos = defaults.bosTokenId();
      if (bos >= 0 && !tokenizer.vocabulary().isUsed(bos)) {
        tokenizer.close();
        throw BadInputException.of(configFile + ": bos_token_id", bos, "an id that " + tokenizerFile + " defines");
      }
      return new OnnxCausalLm(dir, session, tokenizer, layout, defaults, maxPositions);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static int configInt(JsonNode config, Path file, int fallback, String... keys) {
    for (String key : keys) {
      JsonNode v = config.get(key);
      if (v != null && !v.isNull()) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
          throw BadInputException.of(file + ": " + key, v, "an integer >= 1");
        }
        return v.asInt();
      }
    }
    return fallback;
  }

  /** Reads the layout from the model's inputs and outputs (and config.json where dims are symbolic). */
  static Layout detect(OnnxSession session, JsonNode config, Path configFile) {
    Path file = session.file();
    Map<String, NodeInfo> inputs = session.inputs();
    Map<String, NodeInfo> outputs = session.outputs();
    String layoutText = "the optimum text-generation-with-past layout (input_ids, attention_mask, [position_ids,] "
        + "past_key_values.{i}.key/value; outputs logits, present.{i}.key/value)";
    if (inputs.containsKey("use_cache_branch")) {
      throw BadInputException.of(file + ": input use_cache_branch", "present (a merged decoder of optimum < 1.14)",
          layoutText + ": re-export with a current optimum, --task text-generation-with-past");
    }
    for (String name : concat(inputs.keySet(), outputs.keySet())) {
      if (FUSED.matcher(name).matches()) {
        throw BadInputException.of(file + ": " + (inputs.containsKey(name) ? "input " : "output ") + name,
            "a fused key_value cache (Bloom, GPTBigCode multi-query)", layoutText + "; separate key and value tensors");
      }
    }
    TreeMap<Integer, Integer> layers = new TreeMap<>();
    for (String name : inputs.keySet()) {
      Matcher m = PAST.matcher(name);
      if (m.matches()) {
        layers.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
      } else if (!List.of("input_ids", "attention_mask", "position_ids").contains(name)) {
        throw BadInputException.of(file + ": input " + name, "unknown (inputs: " + inputs.keySet() + ")", layoutText);
      }
    }
    if (layers.isEmpty()) {
      throw BadInputException.of(file + ": inputs", inputs.keySet() + " (no past_key_values: an export without a "
          + "cache)", layoutText + ": export with --task text-generation-with-past");
    }
    int count = layers.size();
    if (layers.firstKey() != 0 || layers.lastKey() != count - 1 || layers.values().stream().anyMatch(c -> c != 2)) {
      throw BadInputException.of(file + ": past_key_values inputs", "layers " + layers.keySet() + " (key and value "
          + "counts " + layers.values() + ")", "a key and a value for each layer 0.." + (count - 1));
    }
    TensorInfo ids = session.requireInput("input_ids", 2, OnnxJavaType.INT64, OnnxJavaType.INT32);
    session.requireInput("attention_mask", 2, ids.type);
    boolean positions = inputs.containsKey("position_ids");
    if (positions) {
      session.requireInput("position_ids", 2, ids.type);
    }
    TensorInfo logits = session.requireOutput("logits", 3, OnnxJavaType.FLOAT);
    long[] kv = session.requireInput("past_key_values.0.key", 4, OnnxJavaType.FLOAT).getShape();
    for (int l = 0; l < count; l++) {
      for (String part : new String[] {"key", "value"}) {
        long[] shape = session.requireInput("past_key_values." + l + "." + part, 4, OnnxJavaType.FLOAT).getShape();
        if (shape[1] != kv[1] || shape[3] != kv[3]) {
          throw BadInputException.of(file + ": input past_key_values." + l + "." + part, Arrays.toString(shape),
              "the shape of past_key_values.0.key, " + Arrays.toString(kv));
        }
        session.requireOutput("present." + l + "." + part, 4, OnnxJavaType.FLOAT);
      }
    }
    for (String name : outputs.keySet()) {
      if (!name.equals("logits") && !PRESENT.matcher(name).matches()) {
        throw BadInputException.of(file + ": output " + name, "unknown (outputs: " + outputs.keySet() + ")", layoutText);
      }
    }
    String where = configFile.toString();
    int heads = (int) kv[1] > 0 ? (int) kv[1]
        : configInt(config, configFile, -1, "num_key_value_heads", "num_attention_heads", "n_head");
    int headDim = (int) kv[3];
    if (headDim <= 0) {
      int explicit = configInt(config, configFile, -1, "head_dim");
      int hidden = configInt(config, configFile, -1, "hidden_size", "n_embd", "d_model");
      int attention = configInt(config, configFile, -1, "num_attention_heads", "n_head");
      headDim = explicit > 0 ? explicit : hidden > 0 && attention > 0 ? hidden / attention : -1;
    }
    int vocab = (int) logits.getShape()[2] > 0 ? (int) logits.getShape()[2] : configInt(config, configFile, -1, "vocab_size");
    if (heads <= 0 || headDim <= 0 || vocab <= 0) {
      throw BadInputException.of(file + ": cache and logits dims", "heads " + heads + ", head_dim " + headDim + ", vocab "
          + vocab, "fixed dims in the model or num_key_value_heads, head_dim (or hidden_size and num_attention_heads) "
          + "and vocab_size in " + where);
    }
    return new Layout(count, positions, heads, headDim, vocab, ids.type);
  }

  private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Override
  public String name() {
    return "onnx:" + dir;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The folder the model was loaded from. */
  public Path dir() {
    return dir;
  }

  /** The cache layout read from the model. */
  public Layout layout() {
    return layout;
  }

  /** The settings of {@code generation_config.json}; {@link GenerationDefaults#sampler()} is the decoder spec. */
  public GenerationDefaults generationDefaults() {
    return defaults;
  }

  /** The start token every state begins after, or -1. */
  public int bos() {
    return bos;
  }

  /** The most tokens a sequence can hold (the start token included), or 0 when config.json gives no limit. */
  public int maxPositions() {
    return maxPositions;
  }

  /** The ONNX Runtime session (for measurements). */
  public OnnxSession session() {
    return session;
  }

  /** The cache tensors ONNX Runtime allocated for this model's states that are not closed yet. */
  public long openTensors() {
    return openTensors.get();
  }

  @Override
  public State start() {
    return new State();
  }

  @Override
  public synchronized void close() {
    for (int slot = 0; slot < idTensors.length; slot++) {
      closeIdTensor(slot);
    }
    closeLogitsTensor();
    empty.close();
    session.close();
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "OnnxCausalLm[" + dir + ", " + layout + ", bos=" + bos + ", " + tokenizer.vocabulary() + "]";
  }

  // ------------------------------------------------------------------------------------------------ the cache

  /** The key/value tensors of one prefix: immutable, shared by forks, closed when the last user lets go. */
  private final class Cache {
    final OnnxTensor[] tensors;
    final int length;
    final AtomicInteger refs = new AtomicInteger(1);
    final Cleaner.Cleanable cleanable;

    /** @param owner whether this cache counts in {@link #openTensors} and is closed when unreachable */
    Cache(OnnxTensor[] tensors, int length, Object owner) {
      this.tensors = tensors;
      this.length = length;
      this.cleanable = owner == null ? null : CLEANER.register(this, new Closer(tensors, openTensors));
      if (owner != null) {
        openTensors.addAndGet(tensors.length);
      }
    }

    Cache retain() {
      if (cleanable != null) {
        refs.incrementAndGet();
      }
      return this;
    }

    void release() {
      if (cleanable != null && refs.decrementAndGet() == 0) {
        cleanable.clean();
      }
    }

    void close() {
      if (cleanable != null) {
        cleanable.clean();
      } else {
        for (OnnxTensor t : tensors) {
          t.close();
        }
      }
    }
  }

  /** Closes a cache's tensors (the cleaning action: it must not refer to the cache). */
  private static final class Closer implements Runnable {
    private final OnnxTensor[] tensors;
    private final AtomicLong open;

    Closer(OnnxTensor[] tensors, AtomicLong open) {
      this.tensors = tensors;
      this.open = open;
    }

    @Override
    public void run() {
      for (OnnxTensor t : tensors) {
        t.close();
      }
      open.addAndGet(-tensors.length);
    }
  }

  private OnnxTensor floatTensor(ByteBuffer data, int length) {
    try {
      return OnnxTensor.createTensor(session.env(), data, new long[] {1, layout.kvHeads(), length, layout.headDim()},
          OnnxJavaType.FLOAT);
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first {@code length} positions of {@code cache}, copied (per head, one bulk copy each). */
  private Cache slice(Cache cache, int length) {
    if (length == 0) {
      return empty;
    }
    int heads = layout.kvHeads();
    int row = layout.headDim() * Float.BYTES;
    OnnxTensor[] out = new OnnxTensor[cache.tensors.length];
    try {
      for (int i = 0; i < out.length; i++) {
        ByteBuffer src = cache.tensors[i].getByteBuffer();
        ByteBuffer dst = ByteBuffer.allocateDirect(heads * length * row).order(ByteOrder.nativeOrder());
        for (int h = 0; h < heads; h++) {
          int from = h * cache.length * row;
          src.limit(from + length * row).position(from);
          dst.put(src);
          src.clear();
        }
        dst.rewind();
        out[i] = floatTensor(dst, length);
      }
    } catch (RuntimeException e) {
      for (OnnxTensor t : out) {
        if (t != null) {
          t.close();
        }
      }
      throw e;
    } finally {
      Reference.reachabilityFence(cache);
    }
    return new Cache(out, length, this);
  }

  /**
   * What one model call returns: the new cache, the logits of its rows {@code [first, rows)} (row j
   * follows the first {@code past + j + 1} positions; {@code logits} starts at row {@code first}) and
   * the picked logits ({@code picked[j]} = row j's logit of {@code pick[j]}, where asked).
   */
  private record Step(Cache cache, float[] logits, int first, int rows, double[] picked) {}

  /**
   * Runs the model on {@code feed} after {@code cache}, keeping the logit rows from {@code first} on
   * and, if {@code pick} is not null, the logit of token {@code pick[j]} (when {@code >= 0}) in row
   * j. The id, mask and position inputs and the logits live in direct buffers reused from call to call
   * (the logits output is pinned there, so ONNX Runtime writes it without a copy and only the rows
   * asked for are read), so calls on one model are serialized.
   */
  private synchronized Step run(Cache cache, int[] feed, int first, int[] pick) {
    int past = cache.length;
    int m = feed.length;
    int total = past + m;
    Map<String, OnnxTensor> in = new HashMap<>(2 * pastNames.length);
    OrtSession.Result result = null;
    try {
      in.put("input_ids", idTensor(0, m, i -> feed[i]));
      in.put("attention_mask", idTensor(1, total, i -> 1));
      if (layout.positionIds()) {
        in.put("position_ids", idTensor(2, m, i -> past + i));
      }
      for (int i = 0; i < pastNames.length; i++) {
        in.put(pastNames[i], cache.tensors[i]);
      }
      OnnxTensor logits = logitsTensor(m);
      result = session.session().run(in, presentSlots.keySet(), Map.of("logits", logits));
      OnnxTensor[] present = new OnnxTensor[pastNames.length];
      for (Map.Entry<String, OnnxValue> e : result) {
        Integer slot = presentSlots.get(e.getKey());
        if (slot != null) {
          present[slot] = (OnnxTensor) e.getValue();
        }
      }
      long[] expected = {1, layout.kvHeads(), total, layout.headDim()};
      for (int i = 0; i < present.length; i++) {
        long[] shape = present[i] == null ? null : present[i].getInfo().getShape();
        if (!Arrays.equals(shape, expected)) {
          throw new BadInputException(session.file() + ": output " + presentName(i) + " has shape "
              + Arrays.toString(shape) + " after " + past + " cached and " + m + " new tokens; expected "
              + Arrays.toString(expected) + " (the cache concatenated with the new keys and values)");
        }
      }
      int v = layout.vocabSize();
      float[] rows = new float[(m - first) * v];
      logitsBuffer.get(first * v, rows);
      double[] picked = null;
      if (pick != null) {
        picked = new double[m];
        for (int j = 0; j < m; j++) {
          if (pick[j] >= 0) {
            float x = logitsBuffer.get(j * v + pick[j]);
            if (Float.isNaN(x)) {
              throw new BadInputException(session.file() + ": the model returned NaN for token " + pick[j]);
            }
            picked[j] = x;
          }
        }
      }
      if (logitsBuffer.capacity() > KEPT_FLOATS) { // a long prefill's buffer is not held for the decode steps
        closeLogitsTensor();
        logitsBuffer = OnnxSession.floats(0);
      }
      return new Step(new Cache(present, total, this), rows, first, m, picked);
    } catch (OrtException e) {
      if (result != null) {
        result.close();
      }
      throw new IllegalStateException(session.file() + ": ONNX Runtime failed on " + m + " new tokens after " + past
          + " cached (expected logits [1, " + m + ", " + layout.vocabSize() + "]): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (result != null) {
        result.close();
      }
      throw e;
    } finally {
      Reference.reachabilityFence(cache);
    }
  }

  /** The reused direct buffer the logits output is pinned to, and the tensor over it for the last row count. */
  private FloatBuffer logitsBuffer = OnnxSession.floats(0);
  private OnnxTensor logitsTensor;

  /** The pinned logits output for {@code m} rows, [1, m, V] over {@link #logitsBuffer}. */
  private OnnxTensor logitsTensor(int m) throws OrtException {
    int v = layout.vocabSize();
    long n = (long) m * v;
    if (n > Integer.MAX_VALUE) {
      throw BadInputException.of("new tokens x vocabulary", n, "at most " + Integer.MAX_VALUE + " logits per call ("
          + m + " tokens fed at once)");
    }
    if (logitsTensor != null && logitsTensor.getInfo().getNumElements() == n) {
      return logitsTensor;
    }
    closeLogitsTensor();
    if (logitsBuffer.capacity() < n) {
      logitsBuffer = OnnxSession.floats((int) Math.max(n, Math.min(Integer.MAX_VALUE, 2L * logitsBuffer.capacity())));
    }
    logitsBuffer.clear().limit((int) n);
    logitsTensor = OnnxTensor.createTensor(session.env(), logitsBuffer, new long[] {1, m, v});
    logitsBuffer.clear();
    return logitsTensor;
  }

  private void closeLogitsTensor() {
    if (logitsTensor != null) {
      logitsTensor.close();
      logitsTensor = null;
    }
  }

  private String presentName(int slot) {
    return "present." + slot / 2 + (slot % 2 == 0 ? ".key" : ".value");
  }

  /** The id inputs (input_ids, attention_mask, position_ids): reused direct buffers, the last tensor over each. */
  private final Buffer[] idBuffers = new Buffer[3];
  private final OnnxTensor[] idTensors = new OnnxTensor[3];

  /**
   * The id input {@code slot} holding the {@code n} values {@code value(i)}, shape [1, n]. The values
   * are written into the slot's direct buffer, which its tensor wraps without a copy, so the tensor
   * of the last call is reused while {@code n} stays the same (a decode step feeds as many tokens as
   * the one before it).
   */
  private OnnxTensor idTensor(int slot, int n, IntUnaryOperator value) throws OrtException {
    boolean int64 = layout.idType() == OnnxJavaType.INT64;
    Buffer buffer = idBuffers[slot];
    if (buffer == null || buffer.capacity() < n) {
      closeIdTensor(slot);
      int capacity = Math.max(64, Math.max(n, buffer == null ? 0 : 2 * buffer.capacity()));
      buffer = int64 ? OnnxSession.longs(capacity)
          : ByteBuffer.allocateDirect(4 * capacity).order(ByteOrder.nativeOrder()).asIntBuffer();
      idBuffers[slot] = buffer;
    }
    buffer.clear(); // the whole capacity writable (a tensor over it keeps its own start and length)
    if (int64) {
      LongBuffer b = (LongBuffer) buffer;
      for (int i = 0; i < n; i++) {
        b.put(i, value.applyAsInt(i));
      }
    } else {
      IntBuffer b = (IntBuffer) buffer;
      for (int i = 0; i < n; i++) {
        b.put(i, value.applyAsInt(i));
      }
    }
    OnnxTensor tensor = idTensors[slot];
    if (tensor != null && tensor.getInfo().getNumElements() == n) {
      return tensor;
    }
    closeIdTensor(slot);
    buffer.limit(n);
    tensor = int64 ? OnnxTensor.createTensor(session.env(), (LongBuffer) buffer, new long[] {1, n})
        : OnnxTensor.createTensor(session.env(), (IntBuffer) buffer, new long[] {1, n});
    idTensors[slot] = tensor;
    return tensor;
  }

  private void closeIdTensor(int slot) {
    if (idTensors[slot] != null) {
      idTensors[slot].close();
      idTensors[slot] = null;
    }
  }

  /** Row {@code j} of a call widened to double, unused ids at -Infinity; NaN is an error. */
  private double[] widen(Step step, int j) {
    return widen(step.logits(), j - step.first());
  }

  /** Row {@code r} of {@code logits} widened to double, unused ids at -Infinity; NaN is an error. */
  private double[] widen(float[] logits, int r) {
    int v = used.length;
    double[] out = new double[v];
    int base = r * v;
    if (Float.isNaN(Floats.widen(logits, base, out, 0, v))) {
      for (int i = 0; i < v; i++) {
        if (Float.isNaN(logits[base + i])) {
          throw new BadInputException(session.file() + ": the model returned NaN for token " + i);
        }
      }
    }
    for (int id : unused) {
      out[id] = Double.NEGATIVE_INFINITY;
    }
    return out;
  }

  /** The logit rows a state keeps of a call of {@code m} rows: all up to {@link #KEPT_FLOATS} floats, at least 2. */
  private int keptRows(int m) {
    return Math.min(m, Math.max(2, KEPT_FLOATS / used.length));
  }

  /** The row of an empty sequence without a start token: uniform over the used ids. */
  private double[] uniform() {
    double[] out = new double[used.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = used[i] ? 0 : Double.NEGATIVE_INFINITY;
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ the state

  /**
   * One sequence: its tokens, the shared cache of a prefix of them (the whole sequence, or all but the
   * last position after a truncation that fell outside the last call's rows), and the logit rows of the
   * last call. Close it to free its cache at once.
   */
  public final class State implements LmState, AutoCloseable {
    private int[] tokens;
    private int length;
    private Cache cache;
    /** Logit rows of the last call: row j is the distribution after the first rowsFrom + j model positions. */
    private float[] rows;
    private int rowsFrom;
    private int rowsCount;

    private State() {
      this.tokens = new int[16];
      this.cache = empty;
    }

    private State(State other) {
      this.tokens = Arrays.copyOf(other.tokens, Math.max(16, other.length));
      this.length = other.length;
      this.cache = other.live().retain();
      this.rows = other.rows;
      this.rowsFrom = other.rowsFrom;
      this.rowsCount = other.rowsCount;
    }

    private Cache live() {
      if (cache == null) {
        throw new IllegalStateException("this state of " + name() + " is closed");
      }
      return cache;
    }

    /** Model positions: the start token (if any) and the tokens. */
    private int positions() {
      return length + (bos >= 0 ? 1 : 0);
    }

    private int position(int i) {
      return bos < 0 ? tokens[i] : i == 0 ? bos : tokens[i - 1];
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public int token(int position) {
      if (position < 0 || position >= length) {
        throw BadInputException.of("position", position, "in [0, " + length + ")");
      }
      return tokens[position];
    }

    /** The number of positions the cache holds (the start token included). */
    public int cachedPositions() {
      return live().length;
    }

    @Override
    public void next(double[] out) {
      if (out.length != used.length) {
        throw BadInputException.of("length of the logits array", out.length, used.length + " (the vocabulary size)");
      }
      System.arraycopy(append()[0], 0, out, 0, out.length);
    }

    /** The known row after {@code prefix} model positions (the start token included), or null. */
    private double[] known(int prefix) {
      if (prefix == 0) {
        return uniform();
      }
      int j = prefix - rowsFrom;
      return rows != null && j >= 0 && j < rowsCount ? widen(rows, j) : null;
    }

    @Override
    public double[][] append(int... newTokens) {
      int old = checkNew(newTokens);
      Cache c = live();
      int past = c.length;
      double[][] out = new double[newTokens.length + 1][];
      if (past == old) { // the row after the prefix is known (a cut inside the last call's rows)
        out[0] = known(old);
        if (newTokens.length == 0) {
          return out;
        }
      }
      int[] feed = feed(old, past, newTokens);
      int m = feed.length;
      // row j follows past + j + 1 positions: the rows asked for start at row old - past - 1, or at
      // row 0 (= old - past) when row 0 of out is known
      Step step = run(c, feed, Math.min(out[0] == null ? old - past - 1 : 0, m - keptRows(m)), null);
      try {
        for (int r = out[0] == null ? 0 : 1; r <= newTokens.length; r++) {
          out[r] = widen(step, old + r - past - 1);
        }
      } catch (RuntimeException e) {
        step.cache().release();
        throw e;
      }
      commit(step, newTokens, c);
      return out;
    }

    /** Reads only the last row and the tokens' own logits (the pinned buffer is never copied whole). */
    @Override
    public double[] prefill(int[] newTokens, double[] tokenLogits) {
      if (tokenLogits != null && tokenLogits.length < newTokens.length) {
        throw BadInputException.of("tokenLogits length", tokenLogits.length,
            "at least " + newTokens.length + " (one per token)");
      }
      if (newTokens.length == 0) {
        return append()[0];
      }
      int old = checkNew(newTokens);
      Cache c = live();
      int past = c.length;
      int[] feed = feed(old, past, newTokens);
      int m = feed.length;
      int[] pick = null;
      double before = 0; // the logit of newTokens[0] in a known row (when nothing is re-fed)
      if (tokenLogits != null) {
        pick = new int[m];
        Arrays.fill(pick, -1);
        for (int i = 0; i < newTokens.length; i++) {
          int j = old + i - past - 1; // the row before token i
          if (j >= 0) {
            pick[j] = newTokens[i];
          }
        }
        if (past == old) {
          before = known(old)[newTokens[0]];
        }
      }
      Step step = run(c, feed, m - keptRows(m), pick);
      double[] last;
      try {
        last = widen(step, m - 1);
      } catch (RuntimeException e) {
        step.cache().release();
        throw e;
      }
      if (tokenLogits != null) {
        for (int i = 0; i < newTokens.length; i++) {
          int j = old + i - past - 1;
          tokenLogits[i] = j >= 0 ? step.picked()[j] : before;
        }
      }
      commit(step, newTokens, c);
      return last;
    }

    /** Checks the new tokens and the length; returns the model positions before them. */
    private int checkNew(int[] newTokens) {
      live();
      Vocabulary vocabulary = tokenizer.vocabulary();
      for (int i = 0; i < newTokens.length; i++) {
        vocabulary.requireToken("token at position " + (length + i), newTokens[i]);
      }
      int old = positions();
      if (maxPositions > 0 && old + newTokens.length > maxPositions) {
        throw BadInputException.of("sequence length", length + newTokens.length, "at most "
            + (maxPositions - (bos >= 0 ? 1 : 0)) + " tokens (max_position_embeddings " + maxPositions + " of " + name()
            + (bos >= 0 ? ", the start token included" : "") + ")");
      }
      return old;
    }

    /** What to feed: the positions past the cache (re-fed after a cut) and then the new tokens. */
    private int[] feed(int old, int past, int[] newTokens) {
      int[] feed = new int[old - past + newTokens.length];
      for (int i = past; i < old; i++) {
        feed[i - past] = position(i);
      }
      System.arraycopy(newTokens, 0, feed, old - past, newTokens.length);
      return feed;
    }

    /** Takes the call's cache and tokens and keeps its last rows (a rollback may return to them). */
    private void commit(Step step, int[] newTokens, Cache previous) {
      if (length + newTokens.length > tokens.length) {
        tokens = Arrays.copyOf(tokens, Math.max(2 * tokens.length, length + newTokens.length));
      }
      System.arraycopy(newTokens, 0, tokens, length, newTokens.length);
      length += newTokens.length;
      int past = previous.length;
      cache = step.cache();
      previous.release();
      int m = step.rows();
      int v = used.length;
      rowsCount = keptRows(m);
      rowsFrom = past + m - rowsCount + 1;
      int at = m - rowsCount - step.first(); // the first kept row in step.logits()
      rows = at == 0 ? step.logits() : Arrays.copyOfRange(step.logits(), at * v, (at + rowsCount) * v);
    }

    @Override
    public State fork() {
      return new State(this);
    }

    @Override
    public void truncate(int newLength) {
      Cache c = live();
      if (newLength < 0 || newLength > length) {
        throw BadInputException.of("truncate length", newLength, "in [0, " + length + "]");
      }
      if (newLength == length) {
        return;
      }
      length = newLength;
      int prefix = positions();
      // inside the last call's rows the cache is cut at the prefix; before them the last two positions
      // are fed again with the next call (two, not one: see the class comment on bit-identical rows)
      int keep = prefix == 0 || (rows != null && prefix - rowsFrom >= 0 && prefix - rowsFrom < rowsCount)
          ? prefix : Math.max(0, prefix - 2);
      if (keep < c.length) {
        cache = slice(c, keep);
        c.release();
      }
      if (rows != null) {
        rowsCount = Math.max(0, Math.min(rowsCount, prefix - rowsFrom + 1));
      }
    }

    /** Scores the tree node by node on forks (see {@link LmState#scoreTree}), closing them afterwards. */
    @Override
    public double[][] scoreTree(int[] parents, int[] treeTokens) {
      if (parents.length != treeTokens.length) {
        throw BadInputException.of("parents length", parents.length, treeTokens.length + " (one parent per node)");
      }
      double[][] out = new double[treeTokens.length + 1][];
      State[] states = new State[treeTokens.length];
      try {
        out[0] = append()[0];
        for (int i = 0; i < treeTokens.length; i++) {
          if (parents[i] < -1 || parents[i] >= i) {
            throw BadInputException.of("parents[" + i + "]", parents[i], "-1 or an earlier node below " + i);
          }
          states[i] = parents[i] < 0 ? fork() : states[parents[i]].fork();
          out[i + 1] = states[i].append(treeTokens[i])[1];
        }
        return out;
      } finally {
        for (State s : states) {
          if (s != null) {
            s.close();
          }
        }
      }
    }

    /** Releases this state's share of its cache; the state cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
      if (cache != null) {
        cache.release();
        cache = null;
        rows = null;
      }
    }

    @Override
    public String toString() {
      return "OnnxCausalLm.State[length=" + length + ", cached=" + (cache == null ? "closed" : cache.length) + "]";
    }
  }
}
