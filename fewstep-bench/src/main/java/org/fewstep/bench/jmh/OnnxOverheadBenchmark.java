package org.fewstep.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.onnx.OnnxMaskedLm;
import org.fewstep.onnx.OnnxSession;
import org.fewstep.onnx.diffusion.OnnxDiffusionModel;
import org.fewstep.onnx.text.OnnxCausalLm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-call overhead of fewstep's ONNX Runtime wrappers over a bare {@code OrtSession.run}, on the
 * committed fixtures of fewstep-onnx (found relative to the working directory, the repository root).
 * Each pair times the wrapper call and the raw run of the same graph with the same input shapes; the
 * raw side uses tensors made once over direct buffers (and, where the wrapper pins its output, a
 * pinned output too) and read the output out into a float array, so it is the floor that any Java
 * caller of ONNX Runtime pays. Both sides use one intra-op thread ({@link OnnxSession.Options#DEFAULT}).
 *
 * <ul>
 *   <li>diffusion: {@code OnnxDiffusionModel.predict} of 8 rows of {@code gaussian-unet} (sample
 *       [8, 2, 4, 4], int64 timestep [8], encoder_hidden_states [8, 3, 4] from conditions.npy);</li>
 *   <li>causal LM: one decode step of {@code toy-causal-lm} after 33 cached positions (the start token
 *       and 32 tokens): {@code append} of 1 token and of 4 tokens (speculative verification) on a fork
 *       of a fixed state, closed afterwards, against a raw run that feeds the prefill's
 *       {@code present} tensors as {@code past_key_values} and pins its logits as the wrapper does;
 *       plus append-then-truncate on one state;</li>
 *   <li>masked LM: {@code OnnxMaskedLm.logits} of {@code toy-masked-lm} for 8 rows x 32 positions.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class OnnxOverheadBenchmark {

  static final int ROWS = 8;
  static final int CONTEXT = 32;

  /** A fixture folder under fewstep-onnx/fixtures, checked to exist. */
  static Path fixture(String name) {
    Path dir = Path.of("fewstep-onnx", "fixtures", name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("OnnxOverheadBenchmark: fixture folder " + dir.toAbsolutePath()
          + " not found; run the benchmark from the repository root (./fewstep bench jmh OnnxOverhead)");
    }
    return dir;
  }

  static OnnxTensor tensor(OrtEnvironment env, long[] values, long... shape) throws OrtException {
    LongBuffer b = OnnxSession.longs(values.length);
    b.put(values).rewind();
    return OnnxTensor.createTensor(env, b, shape);
  }

  static long[] filled(int n, long value) {
    long[] out = new long[n];
    java.util.Arrays.fill(out, value);
    return out;
  }

  // ---------------------------------------------------------------------------------------- diffusion

  @State(Scope.Thread)
  public static class Diffusion {
    OnnxDiffusionModel model;
    Conditioning conditioning;
    TimePoint at;
    double[] x;
    double[] out;

    OnnxSession raw;
    Map<String, OnnxTensor> inputs;
    Map<String, OnnxValue> pinned;
    FloatBuffer output;
    float[] read;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
      Path dir = fixture("gaussian-unet");
      model = OnnxDiffusionModel.load(dir, OnnxDiffusionModel.Options.DEFAULT.withInput(
          OnnxDiffusionModel.Input.npy("encoder_hidden_states", dir.resolve("conditions.npy"),
              dir.resolve("negative.npy"))));
      int item = model.itemSize();
      x = new double[ROWS * item];
      java.util.Random random = new java.util.Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextGaussian();
      }
      out = new double[x.length];
      int[] labels = new int[ROWS];
      for (int r = 0; r < ROWS; r++) {
        labels[r] = r % 2 == 0 ? Conditioning.NONE : (r / 2) % model.classes();
      }
      conditioning = Conditioning.labels(labels);
      at = model.schedule().at(0.5);

      raw = OnnxSession.open(model.modelFile(), OnnxSession.Options.DEFAULT);
      OrtEnvironment env = raw.env();
      FloatBuffer sample = OnnxSession.floats(x.length);
      for (int i = 0; i < x.length; i++) {
        sample.put(i, (float) x[i]);
      }
      long step = Math.round(model.schedule().networkTime(at.t()));
      FloatBuffer cond = OnnxSession.floats(ROWS * 3 * 4);
      for (int i = 0; i < cond.capacity(); i++) {
        cond.put(i, (float) random.nextGaussian());
      }
      long[] itemShape = java.util.Arrays.stream(model.itemShape()).asLongStream().toArray();
      long[] batchShape = new long[itemShape.length + 1];
      batchShape[0] = ROWS;
      System.arraycopy(itemShape, 0, batchShape, 1, itemShape.length);
      inputs = new HashMap<>();
      inputs.put("sample", OnnxTensor.createTensor(env, sample, batchShape));
      inputs.put("timestep", tensor(env, filled(ROWS, step), ROWS));
      inputs.put("encoder_hidden_states", OnnxTensor.createTensor(env, cond, new long[] {ROWS, 3, 4}));
      pinned = new HashMap<>();
      output = OnnxSession.floats(x.length);
      read = new float[x.length];
      pinned.put("out_sample", OnnxTensor.createTensor(env, output, batchShape));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      inputs.values().forEach(OnnxTensor::close);
      pinned.values().forEach(OnnxValue::close);
      raw.close();
      model.close();
    }
  }

  @Benchmark
  public void diffusionWrapper(Diffusion s, Blackhole bh) {
    s.model.predict(s.x, ROWS, s.at, s.conditioning, s.out);
    bh.consume(s.out[0]);
  }

  @Benchmark
  public void diffusionRaw(Diffusion s, Blackhole bh) throws OrtException {
    try (OrtSession.Result r = s.raw.session().run(s.inputs, s.pinned)) {
      s.output.get(0, s.read); // read, as any caller must
      bh.consume(s.read[s.read.length - 1]);
    }
  }

  // --------------------------------------------------------------------------------------- causal LM

  @State(Scope.Thread)
  public static class Causal {
    OnnxCausalLm lm;
    /** The start token and 32 tokens, fully cached; forked by the append benchmarks, never changed. */
    OnnxCausalLm.State base;
    /** The same context, appended to and truncated back by {@link #causalAppendTruncate}. */
    OnnxCausalLm.State rolling;
    int[] one;
    int[] four;

    OnnxSession raw;
    OrtSession.Result prefill;
    Map<String, OnnxTensor> step1;
    Map<String, OnnxTensor> step4;
    OnnxTensor[] own;
    float[] logits;
    /** The present outputs (requested) and, per call shape, the logits pinned to a direct buffer. */
    java.util.Set<String> presents;
    Map<String, OnnxValue> pinned1;
    Map<String, OnnxValue> pinned4;
    FloatBuffer logits1;
    FloatBuffer logits4;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
      lm = OnnxCausalLm.load(fixture("toy-causal-lm"));
      int[] context = new int[CONTEXT];
      for (int i = 0; i < CONTEXT; i++) {
        context[i] = 1 + (7 * i + 3) % 39;
      }
      one = new int[] {5};
      four = new int[] {5, 9, 14, 2};
      base = lm.start();
      base.append(context);
      rolling = lm.start();
      rolling.append(context);

      raw = OnnxSession.open(lm.dir().resolve(OnnxCausalLm.MODEL_FILE), OnnxSession.Options.DEFAULT);
      OrtEnvironment env = raw.env();
      int past = CONTEXT + 1;
      long[] ids = new long[past];
      long[] positions = new long[past];
      ids[0] = lm.bos();
      for (int i = 0; i < past; i++) {
        if (i > 0) {
          ids[i] = context[i - 1];
        }
        positions[i] = i;
      }
      Map<String, OnnxTensor> in = new HashMap<>();
      in.put("input_ids", tensor(env, ids, 1, past));
      in.put("attention_mask", tensor(env, filled(past, 1), 1, past));
      in.put("position_ids", tensor(env, positions, 1, past));
      OnnxCausalLm.Layout layout = lm.layout();
      for (int l = 0; l < layout.layers(); l++) {
        for (String kv : new String[] {"key", "value"}) {
          in.put("past_key_values." + l + "." + kv, OnnxTensor.createTensor(env, OnnxSession.floats(0),
              new long[] {1, layout.kvHeads(), 0, layout.headDim()}));
        }
      }
      prefill = raw.session().run(in);
      in.values().forEach(OnnxTensor::close);
      Map<String, OnnxTensor> cache = new HashMap<>();
      for (Map.Entry<String, OnnxValue> e : prefill) {
        if (e.getKey().startsWith("present.")) {
          cache.put(e.getKey().replace("present.", "past_key_values."), (OnnxTensor) e.getValue());
        }
      }
      step1 = new HashMap<>(cache);
      step4 = new HashMap<>(cache);
      own = new OnnxTensor[6];
      own[0] = tensor(env, new long[] {one[0]}, 1, 1);
      own[1] = tensor(env, filled(past + 1, 1), 1, past + 1);
      own[2] = tensor(env, new long[] {past}, 1, 1);
      own[3] = tensor(env, java.util.Arrays.stream(four).asLongStream().toArray(), 1, 4);
      own[4] = tensor(env, filled(past + 4, 1), 1, past + 4);
      own[5] = tensor(env, new long[] {past, past + 1, past + 2, past + 3}, 1, 4);
      step1.put("input_ids", own[0]);
      step1.put("attention_mask", own[1]);
      step1.put("position_ids", own[2]);
      step4.put("input_ids", own[3]);
      step4.put("attention_mask", own[4]);
      step4.put("position_ids", own[5]);
      int v = lm.layout().vocabSize();
      logits = new float[4 * v];
      presents = new java.util.HashSet<>();
      for (String name : raw.session().getOutputNames()) {
        if (name.startsWith("present.")) {
          presents.add(name);
        }
      }
      logits1 = OnnxSession.floats(v);
      logits4 = OnnxSession.floats(4 * v);
      pinned1 = Map.of("logits", OnnxTensor.createTensor(env, logits1, new long[] {1, 1, v}));
      pinned4 = Map.of("logits", OnnxTensor.createTensor(env, logits4, new long[] {1, 4, v}));
    }

    /**
     * One raw decode call: the logits, pinned to a direct buffer, are read (as any caller must); the
     * new cache is dropped.
     */
    float run(Map<String, OnnxTensor> in, Map<String, OnnxValue> pinned, FloatBuffer out) throws OrtException {
      try (OrtSession.Result r = raw.session().run(in, presents, pinned)) {
        int n = out.capacity();
        out.get(0, logits, 0, n);
        return logits[n - 1];
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      for (OnnxTensor t : own) {
        t.close();
      }
      pinned1.values().forEach(OnnxValue::close);
      pinned4.values().forEach(OnnxValue::close);
      prefill.close();
      raw.close();
      base.close();
      rolling.close();
      lm.close();
    }
  }

  @Benchmark
  public void causalDecode1Wrapper(Causal s, Blackhole bh) {
    OnnxCausalLm.State f = s.base.fork();
    try {
      bh.consume(f.append(s.one));
    } finally {
      f.close();
    }
  }

  @Benchmark
  public void causalDecode1Raw(Causal s, Blackhole bh) throws OrtException {
    bh.consume(s.run(s.step1, s.pinned1, s.logits1));
  }

  @Benchmark
  public void causalVerify4Wrapper(Causal s, Blackhole bh) {
    OnnxCausalLm.State f = s.base.fork();
    try {
      bh.consume(f.append(s.four));
    } finally {
      f.close();
    }
  }

  @Benchmark
  public void causalVerify4Raw(Causal s, Blackhole bh) throws OrtException {
    bh.consume(s.run(s.step4, s.pinned4, s.logits4));
  }

  /**
   * Append 1 token, then truncate back to 32 on one state: truncating just before the last call's
   * rows cuts the cache 2 positions back (so that the next call re-feeds them), so the calls alternate
   * between 1 and 3 fed tokens, and each truncation copies the cache prefix (a slice).
   */
  @Benchmark
  public void causalAppendTruncate(Causal s, Blackhole bh) {
    bh.consume(s.rolling.append(s.one));
    s.rolling.truncate(CONTEXT);
  }

  // --------------------------------------------------------------------------------------- masked LM

  @State(Scope.Thread)
  public static class Masked {
    OnnxMaskedLm lm;
    int[][] x;
    double[][] out;

    OnnxSession raw;
    Map<String, OnnxTensor> inputs;
    Map<String, OnnxValue> pinned;
    FloatBuffer logits;
    float[] read;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
      lm = OnnxMaskedLm.load(fixture("toy-masked-lm"), OnnxSession.Options.DEFAULT);
      int vocab = lm.vocabSize();
      x = new int[ROWS][CONTEXT];
      long[] ids = new long[ROWS * CONTEXT];
      java.util.Random random = new java.util.Random(2);
      for (int r = 0; r < ROWS; r++) {
        for (int j = 0; j < CONTEXT; j++) {
          x[r][j] = random.nextInt(3) == 0 ? vocab : random.nextInt(vocab); // a third masked
          ids[r * CONTEXT + j] = x[r][j] == vocab ? lm.modelMaskId() : x[r][j];
        }
      }
      out = new double[ROWS][CONTEXT * vocab];

      raw = OnnxSession.open(lm.modelFile(), OnnxSession.Options.DEFAULT);
      OrtEnvironment env = raw.env();
      inputs = new HashMap<>();
      inputs.put(OnnxMaskedLm.INPUT_IDS, tensor(env, ids, ROWS, CONTEXT));
      inputs.put(OnnxMaskedLm.ATTENTION_MASK, tensor(env, filled(ROWS * CONTEXT, 1), ROWS, CONTEXT));
      pinned = new HashMap<>();
      logits = OnnxSession.floats(ROWS * CONTEXT * vocab);
      read = new float[logits.capacity()];
      pinned.put(OnnxMaskedLm.LOGITS, OnnxTensor.createTensor(env, logits, new long[] {ROWS, CONTEXT, vocab}));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      inputs.values().forEach(OnnxTensor::close);
      pinned.values().forEach(OnnxValue::close);
      raw.close();
      lm.close();
    }
  }

  @Benchmark
  public void maskedLogitsWrapper(Masked s, Blackhole bh) {
    s.lm.logits(s.x, 0, CONTEXT, s.out);
    bh.consume(s.out[0][0]);
  }

  @Benchmark
  public void maskedLogitsRaw(Masked s, Blackhole bh) throws OrtException {
    try (OrtSession.Result r = s.raw.session().run(s.inputs, s.pinned)) {
      s.logits.get(0, s.read); // read, as any caller must
      bh.consume(s.read[s.read.length - 1]);
    }
  }
}
