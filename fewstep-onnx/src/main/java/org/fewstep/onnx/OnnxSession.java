package org.fewstep.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.fewstep.core.BadInputException;

/**
 * An ONNX Runtime session opened with fewstep's options and checked on load: every backend of this
 * module goes through it. A missing or unreadable file, a model ONNX Runtime cannot load, an absent
 * CUDA provider and a missing or mistyped input are {@link BadInputException}s that name the file and
 * what was expected, never a crash. Hot tensors live in direct little-endian buffers
 * ({@link #floats}, {@link #longs}), which ONNX Runtime wraps without copying
 * (backends-and-ecosystem.md 1).
 */
public final class OnnxSession implements AutoCloseable {

  /**
   * Session options.
   *
   * @param intraOpThreads ONNX Runtime's intra-op threads (0: all cores; the default is 1, which is
   *                       also the reproducible choice)
   * @param cuda           run on the CUDA execution provider (needs the {@code gpu} Maven profile)
   * @param cudaDevice     the CUDA device id
   */
  public record Options(int intraOpThreads, boolean cuda, int cudaDevice) {
    /** One intra-op thread on the CPU. */
    public static final Options DEFAULT = new Options(1, false, 0);

    public Options {
      BadInputException.requireAtLeast("threads", intraOpThreads, 0);
      BadInputException.requireAtLeast("cuda device", cudaDevice, 0);
    }
  }

  private final Path file;
  private final OrtEnvironment env;
  private final OrtSession session;

  private OnnxSession(Path file, OrtEnvironment env, OrtSession session) {
    this.file = file;
    this.env = env;
    this.session = session;
  }

  /** Opens {@code file} with {@code options}. */
  public static OnnxSession open(Path file, Options options) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of("model file", file, "an existing ONNX file");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(options.intraOpThreads());
      so.setInterOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // failures reach the caller as exceptions (and then as BadInputExceptions); no second report on stderr
      so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      if (options.cuda()) {
        try {
          so.addCUDA(options.cudaDevice());
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          throw BadInputException.of("cuda", "device " + options.cudaDevice(),
              "an ONNX Runtime build with the CUDA provider (build with -Pgpu) and a CUDA 12 GPU (" + e.getMessage() + ")");
        }
      }
      return new OnnxSession(file, env, env.createSession(file.toString(), so));
    } catch (OrtException e) {
      throw new BadInputException("model file " + file + ": ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
    }
  }

  /** The model file. */
  public Path file() {
    return file;
  }

  public OrtEnvironment env() {
    return env;
  }

  public OrtSession session() {
    return session;
  }

  /** Whether the model has an input of this name. */
  public boolean hasInput(String name) {
    return inputs().containsKey(name);
  }

  /** The model's inputs by name. */
  public Map<String, NodeInfo> inputs() {
    try {
      return session.getInputInfo();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The model's outputs by name. */
  public Map<String, NodeInfo> outputs() {
    try {
      return session.getOutputInfo();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The tensor info of input {@code name}, checked to exist, to have {@code rank} dimensions (or any
   * rank when negative) and one of the {@code types}.
   */
  public TensorInfo requireInput(String name, int rank, OnnxJavaType... types) {
    return require("input", name, inputs(), rank, types);
  }

  /** The tensor info of output {@code name}, checked like {@link #requireInput}. */
  public TensorInfo requireOutput(String name, int rank, OnnxJavaType... types) {
    return require("output", name, outputs(), rank, types);
  }

  private TensorInfo require(String kind, String name, Map<String, NodeInfo> nodes, int rank, OnnxJavaType... types) {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw BadInputException.of(file + ": " + kind + " " + name, "missing", "a model with it (its " + kind + "s: " + nodes.keySet() + ")");
    }
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw BadInputException.of(file + ": " + kind + " " + name, node.getInfo(), "a tensor");
    }
    if (rank >= 0 && info.getShape().length != rank) {
      throw BadInputException.of(file + ": " + kind + " " + name, "shape " + Arrays.toString(info.getShape()), rank + " dimensions");
    }
    if (types.length > 0 && !Arrays.asList(types).contains(info.type)) {
      throw BadInputException.of(file + ": " + kind + " " + name, info.type, "one of " + Arrays.toString(types));
    }
    return info;
  }

  /** A direct, native-order float buffer of {@code n} entries (wrapped by ONNX Runtime without a copy). */
  public static FloatBuffer floats(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** A direct, native-order long buffer of {@code n} entries. */
  public static LongBuffer longs(int n) {
    return ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
