package org.fewstep.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fewstep.core.BadInputException;
import org.fewstep.onnx.text.HfTokenizer;
import org.fewstep.text.masked.LogLinearMaskedLm;
import org.fewstep.text.masked.LsdParameters;
import org.fewstep.text.masked.MaskedDecoders;
import org.fewstep.text.masked.MaskedGeneration;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MaskedSample;
import org.fewstep.text.token.SymbolTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX toy masked LM (fixtures/make_masked_lm.py) against its Java oracle, the log-linear
 * predictor with the same float32 parameters (loglinear.json).
 */
class OnnxMaskedLmTest {
  static final Path TOY = Path.of("fixtures", "toy-masked-lm");
  static final Path SHIFTED = TOY.resolve("shifted");
  /** float32 parameters summed in float32 by ONNX Runtime vs in double by the oracle: logits up to ~15. */
  static final double TOLERANCE = 1e-5;

  static OnnxMaskedLm onnx;
  static OnnxMaskedLm shifted;
  static LogLinearMaskedLm oracle;

  @TempDir
  Path tmp;

  @BeforeAll
  static void open() {
    onnx = OnnxMaskedLm.load(TOY, OnnxSession.Options.DEFAULT);
    shifted = OnnxMaskedLm.load(SHIFTED, OnnxSession.Options.DEFAULT);
    oracle = LogLinearMaskedLm.load(TOY.resolve("loglinear.json"));
  }

  @AfterAll
  static void close() {
    onnx.close();
    shifted.close();
  }

  @Test
  void theFolderDescribesTheModel() {
    assertThat(onnx.vocabSize()).isEqualTo(6);
    assertThat(onnx.maskId()).isEqualTo(6);
    assertThat(onnx.modelMaskId()).isEqualTo(6);
    assertThat(onnx.maxLength()).isEqualTo(64);
    assertThat(onnx.shift()).isFalse();
    assertThat(onnx.name()).isEqualTo("onnx:" + TOY);
    assertThat(onnx.tokenizer().decode(onnx.tokenizer().encode("a b f"))).isEqualTo("a b f");
    assertThat(shifted.shift()).isTrue();
    assertThat(shifted.maskId()).isEqualTo(6);
    assertThat(shifted.modelMaskId()).isEqualTo(7);
    assertThat(oracle.vocabSize()).isEqualTo(6);
    assertThat(oracle.window()).isEqualTo(2);
  }

  @Test
  void withoutSymbolsTheFolderReadsTokenizerJson() throws IOException {
    for (Path source : List.of(TOY, SHIFTED)) {
      Path dir = withoutSymbols(source, "hf-" + source.getFileName());
      try (OnnxMaskedLm model = OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)) {
        // a..f are ids 0..5; the mask (and the shifted folder's unused id 6) lie past vocab_size: left out
        assertThat(model.tokenizer()).isInstanceOf(HfTokenizer.class);
        assertThat(model.tokenizer().vocabulary().size()).isEqualTo(6);
        assertThat(model.tokenizer().encode("afcebd")).containsExactly(0, 5, 2, 4, 1, 3);
        assertThat(model.tokenizer().decode(new int[] {3, 3, 0})).isEqualTo("dda");
        assertThatThrownBy(() -> model.tokenizer().encode("ab g")).isInstanceOf(BadInputException.class);
        MaskedLm same = source == TOY ? onnx : shifted;
        int[][] x = rows(new SplittableRandom(3), 2, 12, 0.5, true);
        assertThat(logits(model, x, 1, 12)[1]).containsExactly(logits(same, x, 1, 12)[1]);
      }
    }
  }

  @Test
  void idsTheTokenizerDoesNotDefineAreNeverPredicted() throws IOException {
    // an embedding padded past the tokenizer (LLaDA, Dream): here tokenizer.json lacks "f" (id 5)
    Path dir = withoutSymbols(TOY, "padded");
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, Files.readString(file).replace("\"f\": 5,", ""));
    try (OnnxMaskedLm model = OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)) {
      assertThat(model.tokenizer().vocabulary().isUsed(5)).isFalse();
      int[][] x = rows(new SplittableRandom(4), 3, 16, 0.5, false);
      double[][] padded = logits(model, x, 0, 16);
      double[][] full = logits(onnx, x, 0, 16);
      for (int r = 0; r < x.length; r++) {
        for (int k = 0; k < padded[r].length; k++) {
          assertThat(padded[r][k]).isEqualTo(k % 6 == 5 ? Double.NEGATIVE_INFINITY : full[r][k]);
        }
      }
      for (MaskedSample sample : generate(model, "fast-dllm:temperature=1", 8, 8)) {
        assertThat(sample.tokens()).doesNotContain(5);
      }
    }
    Files.delete(file);
    assertThatThrownBy(() -> OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("\"symbols\"");
  }

  /** A copy of a fixture folder whose config lists no symbols, with its tokenizer.json. */
  private Path withoutSymbols(Path source, String name) throws IOException {
    Path dir = copy(source, name);
    Files.copy(source.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    String config = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), config.replaceAll("(?s),\\s*\"symbols\": \\[[^]]*]", ""));
    assertThat(Files.readString(dir.resolve("config.json"))).doesNotContain("symbols");
    return dir;
  }

  @Test
  void logitsEqualTheLogLinearOracleOnBatchesOfPartlyMaskedRows() {
    SplittableRandom rng = new SplittableRandom(7);
    double worst = 0;
    for (int length : new int[] {1, 2, 7, 33, 64}) {
      for (double maskRate : new double[] {0, 0.3, 0.7, 1}) {
        int[][] x = rows(rng, 5, length, maskRate, false);
        int from = length > 4 ? 2 : 0;
        int to = length > 4 ? length - 1 : length;
        worst = Math.max(worst, maxDifference(onnx, oracle, x, from, to));
        worst = Math.max(worst, maxDifference(onnx, oracle, x, 0, length));
      }
    }
    assertThat(worst).isLessThan(TOLERANCE);
  }

  /**
   * Exact token equality on seed 5, greedy and sampled: the float32 logits differ from the double
   * oracle by at most about 2e-6, and no argmax, threshold test or draw of these runs falls that close
   * to a boundary (another seed could in principle flip one). Batch 8 and batch 1 give the same tokens.
   */
  @Test
  void everyMaskedDecoderDecodesTheSameTokensAsOnTheOracle() throws IOException {
    Path lsd = tmp.resolve("lsd.json");
    LsdParameters.uniform(8).save(lsd);
    List<String> specs = List.of("fhs", "fhs:temperature=0", "mdm:steps=8", "mdm:steps=8,temperature=0", "llada",
        "llada:block=16,steps=24", "fast-dllm", "fast-dllm:block=16", "dparallel", "localleap", "saber",
        "lsd:" + lsd, "lsd:" + lsd + ",temperature=0",
        // sampled commits: the rows differ, and each row draws from its own stream
        "llada:temperature=1", "fast-dllm:temperature=1", "dparallel:temperature=1", "localleap:temperature=1",
        "saber:temperature=1");
    for (String spec : specs) {
      List<MaskedSample> java = generate(oracle, spec, 8, 8);
      List<MaskedSample> ort = generate(onnx, spec, 8, 8);
      List<MaskedSample> single = generate(onnx, spec, 8, 1);
      for (int r = 0; r < 8; r++) {
        assertThat(ort.get(r).tokens()).as(spec + " row " + r).containsExactly(java.get(r).tokens());
        assertThat(ort.get(r).nfe()).as(spec + " row " + r).isEqualTo(java.get(r).nfe());
        assertThat(single.get(r).tokens()).as(spec + " row " + r + ", batch 1").containsExactly(ort.get(r).tokens());
      }
    }
    // the fixture is peaked: the threshold decoders commit several tokens per call
    for (MaskedSample s : generate(onnx, "fast-dllm", 8, 8)) {
      assertThat(s.nfe()).isLessThan(32 / 2);
    }
  }

  @Test
  void theShiftedModelGivesTheSameLogitsAfterTheAdapter() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int length : new int[] {1, 2, 9, 64}) {
      int[][] x = rows(rng, 4, length, 0.5, true);
      double[][] a = logits(shifted, x, 0, length);
      double[][] b = logits(onnx, x, 0, length);
      int v = onnx.vocabSize();
      for (int r = 0; r < x.length; r++) {
        // positions 1.. read output i - 1; position 0 reads output 0, the prediction of position 1 (Dream)
        assertThat(Arrays.copyOfRange(a[r], v, length * v)).containsExactly(Arrays.copyOfRange(b[r], v, length * v));
        if (length > 1) {
          assertThat(Arrays.copyOfRange(a[r], 0, v)).containsExactly(Arrays.copyOfRange(b[r], v, 2 * v));
        }
      }
      if (length > 3) {
        double[][] part = logits(shifted, x, 2, length - 1);
        double[][] whole = logits(onnx, x, 2, length - 1);
        for (int r = 0; r < x.length; r++) {
          assertThat(part[r]).containsExactly(whole[r]);
        }
      }
    }
    int[] prompt = {0};
    for (String spec : List.of("fast-dllm", "llada", "saber", "mdm:steps=8")) {
      List<MaskedSample> a = MaskedGeneration.of(shifted, MaskedDecoders.create(spec)).prompt(prompt).length(31)
          .rows(4).seed(3).run();
      List<MaskedSample> b = MaskedGeneration.of(onnx, MaskedDecoders.create(spec)).prompt(prompt).length(31)
          .rows(4).seed(3).run();
      for (int r = 0; r < 4; r++) {
        assertThat(a.get(r).tokens()).as(spec).containsExactly(b.get(r).tokens());
      }
    }
    int[][] maskedFirst = {{6, 0, 1}};
    assertThatThrownBy(() -> logits(shifted, maskedFirst, 0, 3)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("x[0][0]").hasMessageContaining("shifted").hasMessageContaining("prompt");
    assertThat(logits(shifted, maskedFirst, 1, 3)[0]).hasSize(12);
  }

  @Test
  void aModelThatReturnsNanIsAClearError() throws IOException {
    // without the mapping of fewstep's mask id 6 to the model's 7, the shifted model reads its NaN row 6
    Path dir = copy(SHIFTED, "mask-6");
    editConfig(dir, "\"mask_token_id\": 7", "\"mask_token_id\": 6");
    try (OnnxMaskedLm wrong = OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)) {
      assertThatThrownBy(() -> logits(wrong, new int[][] {{0, 6, 1}}, 1, 3)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("model.onnx").hasMessageContaining("NaN").hasMessageContaining("a finite logit");
    }
  }

  @Test
  void aMaskIdInsideTheVocabularyIsNeverPredicted() throws IOException {
    Path dir = copy(TOY, "mask-inside");
    editConfig(dir, "\"mask_token_id\": 6", "\"mask_token_id\": 2");
    try (OnnxMaskedLm llada = OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)) {
      double[] out = logits(llada, new int[][] {{6, 0, 6, 1}}, 0, 4)[0];
      for (int i = 0; i < 4; i++) {
        assertThat(out[i * 6 + 2]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(out[i * 6 + 3]).isFinite();
      }
      assertThatThrownBy(() -> logits(llada, new int[][] {{0, 2, 6}}, 0, 3)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("x[0][1] = 2").hasMessageContaining("the model's own mask token");
    }
  }

  @Test
  void rowsAreChecked() {
    assertThatThrownBy(() -> logits(onnx, new int[][] {{0, 7}}, 0, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("x[0][1] = 7");
    assertThatThrownBy(() -> logits(onnx, new int[][] {{0, 1}, {0}}, 0, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("length of x[1]");
    assertThatThrownBy(() -> logits(onnx, new int[][] {new int[65]}, 0, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("maxLength = 64");
    assertThatThrownBy(() -> logits(onnx, new int[][] {{0, 1}}, 1, 3)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("[1, 3)");
    onnx.logits(new int[0][], 0, 0, new double[0][]);
  }

  @Test
  void aTokenizerCanBeGivenInsteadOfTheConfigsSymbols() throws IOException {
    Path dir = withoutSymbols(TOY, "no-symbols");
    SymbolTokenizer mine = new SymbolTokenizer(List.of("u", "v", "w", "x", "y", "z"), false);
    try (OnnxMaskedLm model = OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT, mine)) {
      assertThat(model.tokenizer()).isSameAs(mine);
      assertThat(logits(model, new int[][] {{0, 6, 5}}, 0, 3)[0]).containsExactly(logits(onnx, new int[][] {{0, 6, 5}}, 0, 3)[0]);
    }
    SymbolTokenizer small = new SymbolTokenizer(List.of("u", "v"), false);
    assertThatThrownBy(() -> OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT, small)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("vocabulary size = 2").hasMessageContaining("6 (vocab_size of");
  }

  @Test
  void badFoldersAreClearErrors() throws IOException {
    OnnxSession.Options o = OnnxSession.Options.DEFAULT;
    assertThatThrownBy(() -> OnnxMaskedLm.load(tmp.resolve("none"), o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("none").hasMessageContaining("a folder with model.onnx and config.json");

    Path noConfig = copy(TOY, "no-config");
    Files.delete(noConfig.resolve("config.json"));
    assertThatThrownBy(() -> OnnxMaskedLm.load(noConfig, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(noConfig.resolve("config.json").toString()).hasMessageContaining("an existing config.json");

    Path noModel = copy(TOY, "no-model");
    Files.delete(noModel.resolve("model.onnx"));
    assertThatThrownBy(() -> OnnxMaskedLm.load(noModel, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(noModel.resolve("model.onnx").toString()).hasMessageContaining("an existing ONNX file");

    Path malformed = copy(TOY, "malformed");
    Files.writeString(malformed.resolve("config.json"), "{\"vocab_size\": 6,");
    assertThatThrownBy(() -> OnnxMaskedLm.load(malformed, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("config.json").hasMessageContaining("malformed JSON");

    Path cases = copy(TOY, "cases");
    String good = Files.readString(cases.resolve("config.json"));
    assertConfigError(cases, good.replace("\"vocab_size\": 6,", ""), "the field \"vocab_size\" is missing");
    assertConfigError(cases, good.replace("\"vocab_size\": 6", "\"vocab_size\": \"six\""), "vocab_size = \"six\": expected an integer >= 1");
    assertConfigError(cases, good.replace("\"shift\": false", "\"shift\": \"no\""), "shift = \"no\": expected true or false");
    assertConfigError(cases, good.replace("\"max_length\": 64", "\"max_length\": 0"), "max_length = 0: expected an integer >= 1");
    assertConfigError(cases, good.replace("\"f\"\n", "\"a\"\n"), "symbol 5 = \"a\"");
    assertConfigError(cases, good.replace(",\n    \"f\"\n", "\n"), "symbols = 5 symbols: expected 6 (vocab_size)");
    assertConfigError(cases, "[1, 2]", "expected a JSON object");

    // the output has 6 logits per position; a config of 5 symbols does not fit
    Path fewer = copy(TOY, "fewer");
    Files.writeString(fewer.resolve("config.json"), good.replace("\"vocab_size\": 6", "\"vocab_size\": 5")
        .replace("\"mask_token_id\": 6", "\"mask_token_id\": 5").replace(",\n    \"f\"\n", "\n"));
    assertThatThrownBy(() -> OnnxMaskedLm.load(fewer, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(fewer.resolve("model.onnx").toString())
        .hasMessageContaining("output logits vocabulary = 6").hasMessageContaining("5 (vocab_size of");

    // a config that promises more positions than the model has bias rows for: ONNX Runtime fails at the call
    Path longer = copy(TOY, "longer");
    editConfig(longer, "\"max_length\": 64", "\"max_length\": 100");
    try (OnnxMaskedLm model = OnnxMaskedLm.load(longer, o)) {
      assertThatThrownBy(() -> logits(model, new int[][] {new int[65]}, 0, 1)).isInstanceOf(BadInputException.class)
          .hasMessageContaining(longer.resolve("model.onnx").toString()).hasMessageContaining("ONNX Runtime failed")
          .hasMessageContaining("input_ids [1, 65]: expected logits [1, 65, 6]");
    }

    Path renamed = copy(TOY, "renamed-input");
    patch(renamed.resolve("model.onnx"), "input_ids", "input_idz");
    assertThatThrownBy(() -> OnnxMaskedLm.load(renamed, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(renamed.resolve("model.onnx").toString()).hasMessageContaining("input input_ids = missing")
        .hasMessageContaining("input_idz");

    Path extra = copy(TOY, "extra-input");
    patch(extra.resolve("model.onnx"), "attention_mask", "position_idsxx");
    assertThatThrownBy(() -> OnnxMaskedLm.load(extra, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("input position_idsxx").hasMessageContaining("only input_ids and optionally attention_mask");

    Path output = copy(TOY, "renamed-output");
    patch(output.resolve("model.onnx"), "logits", "scores");
    assertThatThrownBy(() -> OnnxMaskedLm.load(output, o)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("output logits = missing").hasMessageContaining("scores");
  }

  private void assertConfigError(Path dir, String config, String message) throws IOException {
    Files.writeString(dir.resolve("config.json"), config);
    assertThatThrownBy(() -> OnnxMaskedLm.load(dir, OnnxSession.Options.DEFAULT)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(dir.resolve("config.json").toString()).hasMessageContaining(message);
  }

  static List<MaskedSample> generate(MaskedLm model, String spec, int rows, int batch) {
    return MaskedGeneration.of(model, MaskedDecoders.create(spec)).length(32).rows(rows).batch(batch).seed(5).run();
  }

  /** Rows of random tokens with masks at rate {@code maskRate}; position 0 never masked if asked. */
  static int[][] rows(SplittableRandom rng, int rows, int length, double maskRate, boolean firstUnmasked) {
    int[][] x = new int[rows][length];
    for (int[] row : x) {
      for (int i = 0; i < length; i++) {
        row[i] = rng.nextDouble() < maskRate && !(firstUnmasked && i == 0) ? 6 : rng.nextInt(6);
      }
    }
    return x;
  }

  static double[][] logits(MaskedLm model, int[][] x, int from, int to) {
    double[][] out = new double[x.length][(to - from) * model.vocabSize()];
    model.logits(x, from, to, out);
    return out;
  }

  static double maxDifference(MaskedLm a, MaskedLm b, int[][] x, int from, int to) {
    double[][] p = logits(a, x, from, to);
    double[][] q = logits(b, x, from, to);
    double worst = 0;
    for (int r = 0; r < x.length; r++) {
      for (int k = 0; k < p[r].length; k++) {
        worst = Math.max(worst, Math.abs(p[r][k] - q[r][k]));
      }
    }
    return worst;
  }

  private Path copy(Path source, String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String file : List.of("model.onnx", "config.json")) {
      Files.copy(source.resolve(file), dir.resolve(file));
    }
    return dir;
  }

  private static void editConfig(Path dir, String from, String to) throws IOException {
    Path file = dir.resolve("config.json");
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  /** Replaces every occurrence of {@code from} in a file's bytes by {@code to} (same length: protobuf stays valid). */
  private static void patch(Path file, String from, String to) throws IOException {
    byte[] data = Files.readAllBytes(file);
    byte[] a = from.getBytes(StandardCharsets.US_ASCII);
    byte[] b = to.getBytes(StandardCharsets.US_ASCII);
    assertThat(b).hasSameSizeAs(a);
    int hits = 0;
    for (int i = 0; i + a.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, data, i, b.length);
        hits++;
      }
    }
    assertThat(hits).isPositive();
    Files.write(file, data);
  }
}
