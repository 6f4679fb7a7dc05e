package org.fewstep.onnx.diffusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Floats;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Json;
import org.fewstep.core.io.Npy;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpDiscreteSchedule;
import org.fewstep.onnx.OnnxSession;

/**
 * A diffusion network exported to ONNX the diffusers way, as a fewstep {@link DiffusionModel}: every
 * fewstep sampler runs on it unchanged ({@code Denoiser.of/conditional/guided}).
 *
 * <p><b>Folder.</b> Either diffusers' pipeline layout ({@code unet/model.onnx} or
 * {@code transformer/model.onnx}, with {@code scheduler/scheduler_config.json}), as written by
 * {@code save_pretrained} and optimum's ONNX export, or a flat folder ({@code model.onnx} next to
 * {@code scheduler_config.json}). The scheduler config gives the schedule and the prediction type
 * ({@link SchedulerConfig}); an optional {@code config.json} next to the model gives
 * {@code in_channels} and {@code sample_size} when the model's sample dims are symbolic.
 *
 * <p><b>Call.</b> As oracle/sd4j drives a UNet (backends-and-ecosystem.md 1(a)): inputs
 * {@code sample} [B, item...] float32, {@code timestep} of the element type the model declares
 * (int32, int64, float or double; a scalar, [1] or [B]) and the conditioning inputs (such as
 * {@code encoder_hidden_states} [B, S, D]); the output {@code out_sample} (or the model's only
 * output). The timestep is the schedule's {@link VpDiscreteSchedule#networkTime}: for a float
 * timestep the exact continuous value (as the official DPM-Solver feeds discrete models); for an
 * integer timestep the nearest training step, so solvers that evaluate between training steps see
 * the network at the nearest one. All tensors wrap direct native-order buffers that are reused
 * while the batch size stays the same, the output included (a pinned output); float32 at the
 * boundary, float64 inside fewstep.
 *
 * <p><b>Conditioning.</b> Each conditioning input gets a table of K condition rows from NPY
 * ({@link Input}); fewstep's class label k picks row k ({@link #classes()} = K) and
 * {@link Conditioning#NONE} picks the unconditional row (a second NPY, or zeros). Classifier-free
 * guidance ({@code Denoiser.guided}) is then one batched call of 2n rows [unconditional; conditional],
 * the way sd4j batches it.
 *
 * <p>Not thread-safe (it reuses its buffers); {@link #close()} releases the session.
 */
public final class OnnxDiffusionModel implements DiffusionModel, AutoCloseable {

  /**
   * The values of one conditioning input.
   *
   * @param name          the model input, e.g. {@code encoder_hidden_states}
   * @param conditions    K conditions {@code [K, row...]}, or one condition {@code [row...]}; the row
   *                      shape is the input's shape without its batch dim
   * @param unconditional the unconditional row {@code [row...]} or {@code [1, row...]}, or null for zeros
   */
  public record Input(String name, NdArray conditions, NdArray unconditional) {
    public Input {
      if (name == null || name.isBlank()) {
        throw BadInputException.of("conditioning input name", "'" + name + "'", "a model input name");
      }
      if (conditions == null) {
        throw BadInputException.of("conditioning input " + name, "no values", "an array of condition rows");
      }
    }

    /** An input whose rows come from NPY files ({@code unconditional} may be null: zeros). */
    public static Input npy(String name, Path conditions, Path unconditional) {
      return new Input(name, Npy.read(conditions), unconditional == null ? null : Npy.read(unconditional));
    }
  }

  /**
   * Load options.
   *
   * @param session   ONNX Runtime session options
   * @param inputs    the conditioning inputs (every model input besides sample and timestep needs one)
   * @param itemShape the item shape, or null to take it from the model (and {@code config.json})
   */
  public record Options(OnnxSession.Options session, List<Input> inputs, int[] itemShape) {
    /** One CPU thread, no conditioning, the model's item shape. */
    public static final Options DEFAULT = new Options(OnnxSession.Options.DEFAULT, List.of(), null);

    public Options {
      inputs = List.copyOf(inputs);
      itemShape = itemShape == null ? null : itemShape.clone();
    }

    public Options withSession(OnnxSession.Options options) {
      return new Options(options, inputs, itemShape);
    }

    public Options withInput(Input input) {
      List<Input> all = new ArrayList<>(inputs);
      all.add(input);
      return new Options(session, all, itemShape);
    }

    public Options withItemShape(int... shape) {
      return new Options(session, inputs, shape);
    }
  }

  private static final String SAMPLE = "sample";
  private static final String TIMESTEP = "timestep";
  private static final String OUTPUT = "out_sample";

  /** One conditioning input, checked against the model. */
  private static final class Cond {
    final String name;
    final long[] rowShape;
    final int rowSize;
    final int count;
    final float[] table;
    final float[] unconditional;
    FloatBuffer buffer;

    Cond(String name, long[] rowShape, int count, float[] table, float[] unconditional) {
      this.name = name;
      this.rowShape = rowShape;
      this.rowSize = table.length / count;
      this.count = count;
      this.table = table;
      this.unconditional = unconditional;
    }
  }

  private final Path folder;
  private final OnnxSession session;
  private final SchedulerConfig scheduler;
  private final VpDiscreteSchedule schedule;
  private final int[] itemShape;
  private final int itemSize;
  private final String output;
  private final OnnxJavaType timestepType;
  /** 0: a scalar; 1: [1]; -1: [B]. */
  private final int timestepRows;
  private final List<Cond> conds;
  private final int classes;

  // per batch size: buffers and the tensors wrapping them
  private int rows = -1;
  private FloatBuffer sampleBuffer;
  private FloatBuffer outBuffer;
  private float[] outFloats = new float[0];
  private Buffer timestepBuffer;
  private final Map<String, OnnxTensor> inputTensors = new HashMap<>();
  private final Map<String, OnnxTensor> pinned = new HashMap<>();
  private Conditioning filledFor;
  private boolean filled;
  private long calls;

  private OnnxDiffusionModel(Path folder, OnnxSession session, SchedulerConfig scheduler, Options options) {
    this.folder = folder;
    this.session = session;
    this.scheduler = scheduler;
    this.schedule = scheduler.schedule();
    Path file = session.file();
    TensorInfo sample = session.requireInput(SAMPLE, -1, OnnxJavaType.FLOAT);
    long[] sampleShape = sample.getShape();
    if (sampleShape.length < 2) {
      throw BadInputException.of(file + ": input sample", "shape " + Arrays.toString(sampleShape),
          "at least 2 dimensions ([batch, item...], e.g. [batch, channels, height, width])");
    }
    this.itemShape = itemShape(file, sample, options.itemShape());
    int size = 1;
    for (int d : itemShape) {
      size *= d;
    }
    this.itemSize = size;
    this.output = session.outputs().containsKey(OUTPUT) || session.outputs().size() != 1
        ? OUTPUT : session.outputs().keySet().iterator().next();
    TensorInfo out = session.requireOutput(output, sampleShape.length, OnnxJavaType.FLOAT);
    long[] outShape = out.getShape();
    for (int i = 1; i < outShape.length; i++) {
      if (outShape[i] > 0 && outShape[i] != itemShape[i - 1]) {
        throw BadInputException.of(file + ": output " + output, "shape " + Arrays.toString(outShape),
            "the sample's item shape " + Arrays.toString(itemShape) + " (one prediction per element)");
      }
    }
    TensorInfo timestep = session.requireInput(TIMESTEP, -1, OnnxJavaType.INT32, OnnxJavaType.INT64,
        OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE);
    long[] tShape = timestep.getShape();
    if (tShape.length > 1) {
      throw BadInputException.of(file + ": input timestep", "shape " + Arrays.toString(tShape), "a scalar, [1] or [batch]");
    }
    this.timestepType = timestep.type;
    this.timestepRows = tShape.length == 0 ? 0 : tShape[0] == 1 ? 1 : -1;
    this.conds = conditions(file, options.inputs());
    int k = 0;
    for (Cond c : conds) {
      k = Math.max(k, c.count);
    }
    for (Cond c : conds) {
      if (c.count != 1 && c.count != k) {
        throw BadInputException.of("conditioning input " + c.name, c.count + " conditions",
            k + " (as the other inputs) or 1 (shared by every label)");
      }
    }
    this.classes = k;
  }

  /** Loads a model folder with the default options (no conditioning inputs). */
  public static OnnxDiffusionModel load(Path folder) {
    return load(folder, Options.DEFAULT);
  }

  /** Loads a model folder (see the class comment); every problem is a {@link BadInputException}. */
  public static OnnxDiffusionModel load(Path folder, Options options) {
    if (!Files.isDirectory(folder)) {
      throw BadInputException.of("model folder", folder,
          "an existing folder with unet/model.onnx and scheduler/scheduler_config.json (or model.onnx and scheduler_config.json)");
    }
    Path model = first(folder, "model file", "unet/model.onnx", "transformer/model.onnx", "model.onnx");
    Path config = first(folder, "scheduler config", "scheduler/scheduler_config.json", "scheduler_config.json");
    SchedulerConfig scheduler = SchedulerConfig.read(config);
    OnnxSession session = OnnxSession.open(model, options.session());
    try {
      return new OnnxDiffusionModel(folder, session, scheduler, options);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static Path first(Path folder, String what, String... candidates) {
    for (String c : candidates) {
      Path p = folder.resolve(c);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw BadInputException.of(what, "none in " + folder, "one of " + String.join(", ", candidates));
  }

  private static int[] itemShape(Path file, TensorInfo sample, int[] given) {
    long[] shape = sample.getShape();
    String[] names = sample.getDimensionNames();
    int[] item = new int[shape.length - 1];
    if (given != null) {
      if (given.length != item.length) {
        throw BadInputException.of("item shape", Arrays.toString(given),
            item.length + " dimensions (" + file + ": input sample has shape " + Arrays.toString(shape) + ")");
      }
      for (int i = 0; i < item.length; i++) {
        BadInputException.requireAtLeast("item shape[" + i + "]", given[i], 1);
        if (shape[i + 1] > 0 && shape[i + 1] != given[i]) {
          throw BadInputException.of("item shape", Arrays.toString(given),
              "one that fits " + file + ": input sample of shape " + Arrays.toString(shape));
        }
      }
      return given.clone();
    }
    JsonNode config = null;
    Path configFile = file.resolveSibling("config.json");
    if (Files.isRegularFile(configFile)) {
      config = Json.read(configFile);
    }
    for (int i = 0; i < item.length; i++) {
      long d = shape[i + 1];
      if (d > 0) {
        item[i] = (int) d;
        continue;
      }
      int fromConfig = config == null ? -1 : configDim(config, configFile, i, item.length);
      if (fromConfig < 1) {
        String name = names != null && names[i + 1] != null && !names[i + 1].isEmpty() ? names[i + 1] : "?";
        throw BadInputException.of(file + ": input sample dim " + (i + 1) + " (" + name + ")", "symbolic",
            "a fixed size, an item shape option, or " + configFile + " with in_channels and sample_size");
      }
      item[i] = fromConfig;
    }
    return item;
  }

  /** Item dim {@code i} of a diffusers model config: in_channels, then sample_size (int or [h, w]). */
  private static int configDim(JsonNode config, Path where, int i, int rank) {
    if (i == 0) {
      JsonNode c = config.get("in_channels");
      return c != null && c.canConvertToInt() && c.isIntegralNumber() ? c.intValue() : -1;
    }
    JsonNode s = config.get("sample_size");
    if (s == null) {
      return -1;
    }
    if (s.isIntegralNumber() && s.canConvertToInt()) {
      return s.intValue();
    }
    if (s.isArray() && s.size() == rank - 1) {
      JsonNode e = s.get(i - 1);
      if (e.isIntegralNumber() && e.canConvertToInt()) {
        return e.intValue();
      }
    }
    throw BadInputException.of(where + ": sample_size", s, "an integer or an array of " + (rank - 1) + " integers");
  }

  private List<Cond> conditions(Path file, List<Input> given) {
    Map<String, Input> byName = new LinkedHashMap<>();
    for (Input in : given) {
      if (byName.put(in.name(), in) != null) {
        throw BadInputException.of("conditioning input", in.name(), "each input given once");
      }
      if (in.name().equals(SAMPLE) || in.name().equals(TIMESTEP)) {
        throw BadInputException.of("conditioning input", in.name(), "an input other than sample and timestep");
      }
      if (!session.hasInput(in.name())) {
        throw BadInputException.of("conditioning input", in.name(),
            "an input of " + file + " (its inputs: " + session.inputs().keySet() + ")");
      }
    }
    for (String name : session.inputs().keySet()) {
      if (!name.equals(SAMPLE) && !name.equals(TIMESTEP) && !byName.containsKey(name)) {
        throw BadInputException.of(file + ": input " + name, "no values given",
            "its conditioning rows as an Input (NPY of shape [K, row...]); its shape is "
                + Arrays.toString(((TensorInfo) session.inputs().get(name).getInfo()).getShape()));
      }
    }
    List<Cond> out = new ArrayList<>();
    for (Input in : byName.values()) {
      TensorInfo info = session.requireInput(in.name(), -1, OnnxJavaType.FLOAT);
      long[] shape = info.getShape();
      if (shape.length < 1) {
        throw BadInputException.of(file + ": input " + in.name(), "a scalar", "a tensor with a batch dim");
      }
      int rowRank = shape.length - 1;
      NdArray values = in.conditions();
      int count;
      int[] row;
      if (values.rank() == rowRank + 1) {
        count = values.dim(0);
        row = values.itemShape();
      } else if (values.rank() == rowRank) {
        count = 1;
        row = values.shape();
      } else {
        throw BadInputException.of("conditions of " + in.name(), NdArray.shapeText(values.shape()),
            "[K, row...] or [row...] with a row of " + rowRank + " dims (" + file + ": input " + in.name()
                + " has shape " + Arrays.toString(shape) + ")");
      }
      BadInputException.requireAtLeast("number of conditions of " + in.name(), count, 1);
      long[] rowShape = new long[rowRank];
      for (int i = 0; i < rowRank; i++) {
        rowShape[i] = row[i];
        if (shape[i + 1] > 0 && shape[i + 1] != row[i]) {
          throw BadInputException.of("conditions of " + in.name(), NdArray.shapeText(values.shape()),
              "rows that fit " + file + ": input " + in.name() + " of shape " + Arrays.toString(shape));
        }
      }
      float[] table = toFloats(values.data());
      int rowSize = table.length / count;
      float[] unconditional = new float[rowSize];
      NdArray u = in.unconditional();
      if (u != null) {
        boolean fits = Arrays.equals(u.shape(), row)
            || (u.rank() == rowRank + 1 && u.dim(0) == 1 && Arrays.equals(u.itemShape(), row));
        if (!fits) {
          throw BadInputException.of("unconditional row of " + in.name(), NdArray.shapeText(u.shape()),
              NdArray.shapeText(row) + " (the shape of one condition row)");
        }
        unconditional = toFloats(u.data());
      }
      out.add(new Cond(in.name(), rowShape, count, table, unconditional));
    }
    return out;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * A fewstep model spec component {@code onnx:DIR,cond=FILE.npy,uncond=FILE.npy,...} for a model
   * registry (the CLI's {@code --model onnx:DIR}); see the option help.
   */
  public static Component<DiffusionModel> component() {
    return new Component<>("onnx",
        "diffusers-style ONNX UNet/DiT folder (unet/model.onnx + scheduler/scheduler_config.json, or flat)",
        "backends-and-ecosystem.md 1(a); diffusers scheduler_config.json",
        List.of(
            Option.text("dir", null, "the model folder").asRequiredPositional(),
            Option.text("cond", null, "NPY [K, row...] of conditioning rows: label k feeds row k"),
            Option.text("uncond", null, "NPY [row...] of the unconditional row (default zeros)"),
            Option.text("cond-input", "encoder_hidden_states", "the model input that cond and uncond feed"),
            Option.text("item-shape", null, "item shape such as 4x64x64 when the model's is symbolic"),
            Option.integer("threads", 1, 0, 4096, "ONNX Runtime intra-op threads (0 = all cores)"),
            Option.flag("cuda", false, "CUDA execution provider (build with -Pgpu)")),
        o -> {
          Options options = Options.DEFAULT.withSession(new OnnxSession.Options(o.getInt("threads"), o.getBool("cuda"), 0));
          if (o.isSet("cond")) {
            options = options.withInput(Input.npy(o.get("cond-input"), Path.of(o.get("cond")),
                o.isSet("uncond") ? Path.of(o.get("uncond")) : null));
          } else if (o.isSet("uncond")) {
            throw new BadInputException("onnx: uncond needs cond (the conditioning rows)");
          }
          if (o.isSet("item-shape")) {
            options = options.withItemShape(parseShape(o.get("item-shape")));
          }
          return load(Path.of(o.get("dir")), options);
        });
  }

  private static int[] parseShape(String text) {
    String[] parts = text.split("x", -1);
    int[] shape = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        shape[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw BadInputException.of("onnx:item-shape", text, "dims joined by x, such as 4x64x64");
      }
    }
    return shape;
  }

  // ------------------------------------------------------------------ DiffusionModel

  @Override
  public VpDiscreteSchedule schedule() {
    return schedule;
  }

  @Override
  public int[] itemShape() {
    return itemShape.clone();
  }

  @Override
  public int itemSize() {
    return itemSize;
  }

  @Override
  public Prediction prediction() {
    return scheduler.prediction();
  }

  /** K, the number of condition rows of the conditioning inputs; 0 without conditioning inputs. */
  @Override
  public int classes() {
    return classes;
  }

  @Override
  public void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out) {
    if (conditioning != null) {
      if (conditioning.rows() != n) {
        throw BadInputException.of("conditioning rows", conditioning.rows(), n + " (one per row)");
      }
      conditioning.requireLabelsBelow(classes, session.file().toString());
    }
    prepare(n);
    int len = n * itemSize;
    FloatBuffer s = sampleBuffer;
    for (int i = 0; i < len; i++) {
      s.put(i, (float) x[i]);
    }
    setTimestep(schedule.networkTime(at.t()));
    if (!filled || conditioning != filledFor) {
      fillConditions(conditioning);
    }
    try {
      // The output is pinned to outBuffer: the result holds nothing else and does not own it.
      OrtSession.Result result = session.session().run(inputTensors, pinned);
      result.close();
      calls++;
    } catch (OrtException e) {
      throw new BadInputException(session.file() + ": ONNX Runtime failed on a batch of " + n + " rows of shape "
          + Arrays.toString(itemShape) + " (" + e.getMessage() + ")", e);
    }
    if (outFloats.length < len) {
      outFloats = new float[len];
    }
    outBuffer.get(0, outFloats, 0, len);
    Floats.widen(outFloats, 0, out, 0, len); // NaN and Infinity are the solver's to report, with the step
  }

  private void setTimestep(double networkTime) {
    int count = timestepRows == -1 ? rows : 1;
    switch (timestepType) {
      case INT64: {
        long k = nearestStep(networkTime);
        LongBuffer b = (LongBuffer) timestepBuffer;
        for (int i = 0; i < count; i++) {
          b.put(i, k);
        }
        break;
      }
      case INT32: {
        int k = (int) nearestStep(networkTime);
        IntBuffer b = (IntBuffer) timestepBuffer;
        for (int i = 0; i < count; i++) {
          b.put(i, k);
        }
        break;
      }
      case FLOAT: {
        FloatBuffer b = (FloatBuffer) timestepBuffer;
        for (int i = 0; i < count; i++) {
          b.put(i, (float) networkTime);
        }
        break;
      }
      default: {
        DoubleBuffer b = (DoubleBuffer) timestepBuffer;
        for (int i = 0; i < count; i++) {
          b.put(i, networkTime);
        }
      }
    }
  }

  /** The training step nearest to a network time, within [0, N - 1]. */
  private long nearestStep(double networkTime) {
    return Math.max(0, Math.min(scheduler.trainSteps() - 1, Math.round(networkTime)));
  }

  private void fillConditions(Conditioning conditioning) {
    for (Cond c : conds) {
      for (int r = 0; r < rows; r++) {
        int label = conditioning == null ? Conditioning.NONE : conditioning.label(r);
        if (label == Conditioning.NONE) {
          c.buffer.put(r * c.rowSize, c.unconditional, 0, c.rowSize);
        } else {
          int k = c.count == 1 ? 0 : label;
          c.buffer.put(r * c.rowSize, c.table, k * c.rowSize, c.rowSize);
        }
      }
    }
    filledFor = conditioning;
    filled = true;
  }

  /** (Re)creates the buffers and tensors for batches of {@code n} rows (only when n changes). */
  private void prepare(int n) {
    if (n == rows) {
      return;
    }
    BadInputException.requireAtLeast("rows", n, 1);
    closeTensors();
    try {
      long[] shape = new long[itemShape.length + 1];
      shape[0] = n;
      for (int i = 0; i < itemShape.length; i++) {
        shape[i + 1] = itemShape[i];
      }
      sampleBuffer = OnnxSession.floats(n * itemSize);
      outBuffer = OnnxSession.floats(n * itemSize);
      inputTensors.put(SAMPLE, OnnxTensor.createTensor(session.env(), sampleBuffer, shape));
      pinned.put(output, OnnxTensor.createTensor(session.env(), outBuffer, shape));
      int count = timestepRows == -1 ? n : 1;
      long[] tShape = timestepRows == 0 ? new long[0] : new long[] {count};
      inputTensors.put(TIMESTEP, timestepTensor(count, tShape));
      for (Cond c : conds) {
        long[] cShape = new long[c.rowShape.length + 1];
        cShape[0] = n;
        System.arraycopy(c.rowShape, 0, cShape, 1, c.rowShape.length);
        c.buffer = OnnxSession.floats(n * c.rowSize);
        inputTensors.put(c.name, OnnxTensor.createTensor(session.env(), c.buffer, cShape));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create ONNX tensors for " + n + " rows", e);
    }
    rows = n;
    filled = false;
  }

  private OnnxTensor timestepTensor(int count, long[] shape) throws OrtException {
    switch (timestepType) {
      case INT64: {
        LongBuffer b = OnnxSession.longs(count);
        timestepBuffer = b;
        return OnnxTensor.createTensor(session.env(), b, shape);
      }
      case INT32: {
        IntBuffer b = ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder()).asIntBuffer();
        timestepBuffer = b;
        return OnnxTensor.createTensor(session.env(), b, shape);
      }
      case FLOAT: {
        FloatBuffer b = OnnxSession.floats(count);
        timestepBuffer = b;
        return OnnxTensor.createTensor(session.env(), b, shape);
      }
      default: {
        DoubleBuffer b = ByteBuffer.allocateDirect(8 * count).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        timestepBuffer = b;
        return OnnxTensor.createTensor(session.env(), b, shape);
      }
    }
  }

  private void closeTensors() {
    inputTensors.values().forEach(OnnxTensor::close);
    pinned.values().forEach(OnnxTensor::close);
    inputTensors.clear();
    pinned.clear();
    rows = -1;
  }

  // ------------------------------------------------------------------ accessors

  /** The scheduler config the schedule and prediction came from. */
  public SchedulerConfig scheduler() {
    return scheduler;
  }

  /**
   * The time grid diffusers' DPM-Solver/UniPC would use for {@code steps} steps with this model's
   * {@code timestep_spacing} and {@code steps_offset} ({@link SchedulerConfig#grid}).
   */
  public TimeGrid diffusersGrid(int steps) {
    return scheduler.grid(steps);
  }

  /** The model folder. */
  public Path folder() {
    return folder;
  }

  /** The ONNX file. */
  public Path modelFile() {
    return session.file();
  }

  /** The element type of the model's {@code timestep} input. */
  public OnnxJavaType timestepType() {
    return timestepType;
  }

  /** The number of ONNX Runtime calls made so far (one per {@link #predict}). */
  public long calls() {
    return calls;
  }

  @Override
  public void close() {
    closeTensors();
    session.close();
  }

  @Override
  public String toString() {
    return "OnnxDiffusionModel[" + session.file() + ", item " + Arrays.toString(itemShape) + ", timestep "
        + timestepType + ", " + scheduler + (conds.isEmpty() ? "" : ", " + classes + " conditions") + "]";
  }
}
