package org.fewstep.onnx.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.speculative.Speculative;
import org.junit.jupiter.api.Test;

/**
 * The causal LM over the toy export: the graph computes numpy's reference forward; cached decoding
 * (prefill + steps, k tokens per call) equals a full recomputation; truncate-then-continue is
 * bit-identical to a fresh run; forks are independent; no cache tensor leaks.
 */
class OnnxCausalLmTest {
  /** float32 through two layers: rows of different call shapes agree to this (max abs difference). */
  static final double FLOAT_TOLERANCE = 2e-5;

  static int[] randomTokens(OnnxCausalLm model, int n, long seed) {
    Random r = new Random(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      do {
        out[i] = r.nextInt(model.vocabulary().size());
      } while (!model.vocabulary().isUsed(out[i]));
    }
    return out;
  }

  static double maxDiff(double[] a, double[] b) {
    assertThat(a).hasSameSizeAs(b);
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == Double.NEGATIVE_INFINITY || b[i] == Double.NEGATIVE_INFINITY) {
        assertThat(a[i]).isEqualTo(b[i]);
      } else {
        d = Math.max(d, Math.abs(a[i] - b[i]));
      }
    }
    return d;
  }

  @Test
  void readsTheLayoutTheVocabularyAndTheGenerationDefaults() {
    OnnxCausalLm m = ToyModels.target();
    assertThat(m.layout()).isEqualTo(new OnnxCausalLm.Layout(2, true, 2, 16, 48, OnnxJavaType.INT64));
    assertThat(m.vocabulary().size()).isEqualTo(48);
    assertThat(m.vocabulary().usedCount()).isEqualTo(40);
    assertThat(m.vocabulary().eos()).isZero();
    assertThat(m.vocabulary().isSpecial(0)).isTrue();
    assertThat(m.bos()).isZero();
    assertThat(m.maxPositions()).isEqualTo(64);
    assertThat(m.name()).startsWith("onnx:").endsWith("toy-causal-lm");
    GenerationDefaults g = m.generationDefaults();
    assertThat(g.sampler()).isEqualTo("sample:temperature=0.8,top-k=20,top-p=0.95,temperature-first=true");
    assertThat(Decoders.create(g.sampler()).spec()).contains("top-k=20");
    assertThat(g.maxNewTokens()).hasValue(32);
    assertThat(g.eosTokenIds()).containsExactly(0);
    assertThat(ToyModels.draft().layout().layers()).isEqualTo(1);
    assertThat(ToyModels.draft().vocabulary().sameAs(m.vocabulary())).isTrue();
  }

  @Test
  void theRegistryComponentLoadsAFolderFromASpec() {
    var registry = new org.fewstep.core.registry.Registry<org.fewstep.text.LanguageModel>("language model")
        .register(OnnxCausalLm.COMPONENT);
    try (OnnxCausalLm m = (OnnxCausalLm) registry.create("onnx:fixtures/toy-causal-lm/draft,threads=1")) {
      assertThat(m.layout().layers()).isEqualTo(1);
      assertThat(m.name()).isEqualTo("onnx:" + ToyModels.DIR.resolve("draft"));
    }
    assertThatThrownBy(() -> registry.create("onnx:fixtures/none")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("fixtures/none");
  }

  /** numpy's forward of the same weights (no cache, written from the definitions) in reference.json. */
  @Test
  void theGraphComputesTheReferenceForward() {
    JsonNode ref = Json.read(ToyModels.DIR.resolve("reference.json"));
    int[] ids = new int[ref.get("input_ids").size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ref.get("input_ids").get(i).asInt();
    }
    assertThat(ids[0]).isEqualTo(ToyModels.target().bos());
    for (String which : new String[] {"target", "draft"}) {
      OnnxCausalLm m = which.equals("target") ? ToyModels.target() : ToyModels.draft();
      double[][] expected = Json.matrix(ref.get("logits_" + which), "logits", ids.length, 48);
      LmState s = m.start();
      double[][] rows = s.append(Arrays.copyOfRange(ids, 1, ids.length)); // the start token is implicit
      for (int r = 0; r < ids.length; r++) {
        for (int v = 0; v < 48; v++) {
          if (m.vocabulary().isUsed(v)) {
            assertThat(rows[r][v]).as("%s row %d token %d", which, r, v).isCloseTo(expected[r][v],
                org.assertj.core.data.Offset.offset(1e-4));
          } else {
            assertThat(rows[r][v]).isEqualTo(Double.NEGATIVE_INFINITY);
          }
        }
      }
    }
  }

  /** Prefill, then one token per call; the rows equal one call over the whole sequence. */
  @Test
  void prefillAndStepsEqualAFullRecomputation() {
    OnnxCausalLm m = ToyModels.target();
    int[] seq = randomTokens(m, 40, 1);
    double[][] full = m.start().append(seq);
    for (int prefill : new int[] {0, 1, 7}) {
      OnnxCausalLm.State s = m.start();
      List<double[]> rows = new ArrayList<>(Arrays.asList(s.append(Arrays.copyOf(seq, prefill))));
      for (int i = prefill; i < seq.length; i++) {
        double[][] step = s.append(seq[i]);
        assertThat(step[0]).isEqualTo(rows.get(rows.size() - 1));
        rows.add(step[1]);
        double[] next = new double[48];
        s.next(next);
        assertThat(next).isEqualTo(step[1]);
      }
      assertThat(s.cachedPositions()).isEqualTo(seq.length + 1);
      assertThat(s.tokens()).isEqualTo(seq);
      for (int r = 0; r <= seq.length; r++) {
        assertThat(maxDiff(rows.get(r), full[r])).as("prefill %d row %d", prefill, r).isLessThan(FLOAT_TOLERANCE);
      }
      s.close();
    }
  }

  /** k tokens in one call (speculative verification) give the rows of k single steps. */
  @Test
  void appendingKTokensInOneCallEqualsKSteps() {
    OnnxCausalLm m = ToyModels.target();
    int[] prefix = randomTokens(m, 9, 2);
    for (int k : new int[] {1, 2, 4, 8}) {
      int[] drafts = randomTokens(m, k, 10 + k);
      OnnxCausalLm.State one = m.start();
      one.append(prefix);
      double[][] batched = one.append(drafts);
      OnnxCausalLm.State steps = m.start();
      steps.append(prefix);
      double[] before = steps.append()[0];
      assertThat(batched[0]).isEqualTo(before); // the row before the first draft comes from the previous call
      for (int i = 0; i < k; i++) {
        double[] row = steps.append(drafts[i])[1];
        assertThat(maxDiff(batched[i + 1], row)).as("k %d row %d", k, i + 1).isLessThan(FLOAT_TOLERANCE);
      }
      assertThat(one.tokens()).isEqualTo(steps.tokens());
      one.close();
      steps.close();
    }
  }

  /**
   * Truncating (to inside the last call's rows, before them, to nothing) and continuing gives exactly
   * the logits of a fresh state fed the kept prefix and the same continuation in the same calls.
   */
  @Test
  void truncateThenContinueIsBitIdenticalToAFreshRun() {
    OnnxCausalLm m = ToyModels.target();
    int[] seq = randomTokens(m, 20, 3);
    int[] more = randomTokens(m, 3, 4);
    for (int keep : new int[] {14, 12, 10, 9, 3, 1, 0}) {
      OnnxCausalLm.State s = m.start();
      s.append(Arrays.copyOf(seq, 10));
      s.append(Arrays.copyOfRange(seq, 10, 15)); // 5 "drafts"
      s.truncate(keep);
      assertThat(s.length()).isEqualTo(keep);
      assertThat(s.tokens()).isEqualTo(Arrays.copyOf(seq, keep));
      double[] next = new double[48];
      s.next(next);
      double[][] continued = s.append(more);

      OnnxCausalLm.State fresh = m.start();
      double[][] prefixRows = fresh.append(Arrays.copyOf(seq, keep));
      double[][] expected = fresh.append(more);
      assertThat(next).as("keep %d: row after the kept prefix", keep).isEqualTo(prefixRows[keep]);
      for (int r = 0; r < expected.length; r++) {
        assertThat(continued[r]).as("keep %d row %d", keep, r).isEqualTo(expected[r]);
      }
      s.close();
      fresh.close();
    }
  }

  /**
   * Random histories of multi-token appends, prefills, truncations (inside and before the last call's
   * rows), next() and forks: after every step the state's rows equal bit for bit those of one call over its
   * tokens (see the class comment of OnnxCausalLm on calls of one token, which this avoids).
   */
  @Test
  void anyHistoryOfMultiTokenCallsIsBitIdenticalToOnePrefill() {
    OnnxCausalLm m = ToyModels.target();
    Random r = new Random(42);
    for (int history = 0; history < 30; history++) {
      OnnxCausalLm.State s = m.start();
      for (int step = 0; step < 8; step++) {
        int op = r.nextInt(5);
        double[] last;
        int before = s.length();
        int[] fed = null;
        double[] fedLogits = null;
        if (op <= 1 && s.length() <= 50) {
          double[][] rows = s.append(randomTokens(m, 2 + r.nextInt(5), r.nextLong()));
          last = rows[rows.length - 1];
        } else if (op == 4 && s.length() <= 50) { // prefill: the last row and each token's own logit only
          fed = randomTokens(m, 2 + r.nextInt(5), r.nextLong());
          fedLogits = new double[fed.length];
          last = s.prefill(fed, fedLogits);
        } else if (op == 2 && s.length() > 0) {
          s.truncate(r.nextInt(s.length()));
          last = new double[48];
          s.next(last);
        } else {
          OnnxCausalLm.State f = s.fork();
          s.close();
          s = f;
          last = s.append()[0];
        }
        OnnxCausalLm.State fresh = m.start();
        double[][] once = fresh.append(s.tokens());
        fresh.close();
        assertThat(last).as("history %d step %d op %d length %d", history, step, op, s.length())
            .isEqualTo(once[s.length()]);
        for (int i = 0; fed != null && i < fed.length; i++) {
          assertThat(fedLogits[i]).as("history %d step %d: prefill token %d", history, step, i)
              .isEqualTo(once[before + i][fed[i]]);
        }
      }
      s.close();
    }
  }

  /** Without a start token the first row is uniform over the used ids, and the model starts at position 0. */
  @Test
  void withoutAStartTokenTheFirstRowIsUniform(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
      java.nio.file.Files.copy(ToyModels.DIR.resolve(f), tmp.resolve(f));
    }
    java.nio.file.Files.writeString(tmp.resolve("config.json"), "{\"eos_token_id\": 0, \"num_hidden_layers\": 2}");
    try (OnnxCausalLm m = OnnxCausalLm.load(tmp)) {
      assertThat(m.bos()).isEqualTo(-1);
      assertThat(m.generationDefaults().sampler()).isEqualTo("greedy");
      int[] seq = randomTokens(m, 10, 11);
      OnnxCausalLm.State s = m.start();
      double[] first = new double[48];
      s.next(first);
      for (int v = 0; v < 48; v++) {
        assertThat(first[v]).isEqualTo(v < 40 ? 0 : Double.NEGATIVE_INFINITY);
      }
      double[][] rows = s.append(seq);
      assertThat(rows[0]).isEqualTo(first);
      assertThat(s.cachedPositions()).isEqualTo(10);
      // the first token sits at position 0: the rows of single steps
      OnnxCausalLm.State steps = m.start();
      for (int i = 0; i < seq.length; i++) {
        assertThat(maxDiff(steps.append(seq[i])[1], rows[i + 1])).isLessThan(FLOAT_TOLERANCE);
      }
      s.truncate(0);
      s.next(first);
      assertThat(first[0]).isZero();
      assertThat(s.append(seq)).isDeepEqualTo(rows);
      s.close();
      steps.close();
    }
  }

  @Test
  void forksAreIndependent() {
    OnnxCausalLm m = ToyModels.target();
    int[] seq = randomTokens(m, 12, 5);
    OnnxCausalLm.State a = m.start();
    a.append(Arrays.copyOf(seq, 6));
    OnnxCausalLm.State b = a.fork();
    double[][] bRows = b.append(Arrays.copyOfRange(seq, 6, 12));
    a.append(seq[11], seq[10]);
    a.truncate(4);
    a.close(); // b keeps its own share of the cache they had in common
    double[][] again = b.fork().append();
    assertThat(again[0]).isEqualTo(bRows[6]);
    OnnxCausalLm.State fresh = m.start();
    double[][] full = fresh.append(seq);
    for (int r = 0; r <= 6; r++) {
      assertThat(maxDiff(bRows[r], full[6 + r])).isLessThan(FLOAT_TOLERANCE);
    }
    assertThat(b.tokens()).isEqualTo(seq);
    assertThatThrownBy(() -> a.append(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    b.close();
    fresh.close();
  }

  @Test
  void theExportWithoutPositionIdsGivesTheSameLogits() {
    try (OnnxCausalLm plain = OnnxCausalLm.load(ToyModels.DIR.resolve("no-position-ids"))) {
      assertThat(plain.layout().positionIds()).isFalse();
      int[] seq = randomTokens(plain, 15, 6);
      OnnxCausalLm.State a = plain.start();
      OnnxCausalLm.State b = ToyModels.target().start();
      double[][] ra = a.append(Arrays.copyOf(seq, 8));
      double[][] rb = b.append(Arrays.copyOf(seq, 8));
      a.truncate(5);
      b.truncate(5);
      double[][] sa = a.append(Arrays.copyOfRange(seq, 5, 15));
      double[][] sb = b.append(Arrays.copyOfRange(seq, 5, 15));
      for (int r = 0; r < ra.length; r++) {
        assertThat(maxDiff(ra[r], rb[r])).isLessThan(FLOAT_TOLERANCE);
      }
      for (int r = 0; r < sa.length; r++) {
        assertThat(maxDiff(sa[r], sb[r])).isLessThan(FLOAT_TOLERANCE);
      }
      b.close();
    }
  }

  @Test
  void badTokensAndLengthsAreClearErrorsThatLeaveTheStateAsItWas() {
    OnnxCausalLm m = ToyModels.target();
    OnnxCausalLm.State s = m.start();
    s.append(1, 2, 3);
    assertThatThrownBy(() -> s.append(4, 45)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("token at position 4");
    assertThatThrownBy(() -> s.append(randomTokens(m, 61, 7))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("at most 63 tokens");
    assertThatThrownBy(() -> s.truncate(4)).isInstanceOf(BadInputException.class);
    assertThat(s.tokens()).containsExactly(1, 2, 3);
    assertThat(s.append(randomTokens(m, 60, 7))).hasNumberOfRows(61);
    assertThatThrownBy(() -> s.next(new double[3])).isInstanceOf(BadInputException.class);
    s.close();
    s.close();
  }

  /** Closed states give every cache tensor back at once, dropped ones when collected: the open count returns. */
  @Test
  void noCacheTensorLeaks() {
    try (OnnxCausalLm m = OnnxCausalLm.load(ToyModels.DIR)) { // its own counter: no other test's garbage
      leakLoop(m);
    }
  }

  /**
   * A whole generation gives every cache tensor back without the garbage collector: the prompt state,
   * the completions' forks, CNTP's trial forks and a draft model's state (chain and multi-draft).
   */
  @Test
  void generationClosesEveryStateItMakes() {
    try (OnnxCausalLm target = OnnxCausalLm.load(ToyModels.DIR);
        OnnxCausalLm draft = OnnxCausalLm.load(ToyModels.DIR.resolve("draft"))) {
      List<Decoder> decoders = List.of(
          Decoders.create("sample"),
          Decoders.create("cntp:h-low=0,h-high=0.5,n-max=4"),
          Speculative.decoder("sample", "k=3", draft),
          Speculative.decoder("sample", "k=3,drafts=3,method=spectr", draft));
      for (Decoder d : decoders) {
        List<Completion> out = Generation.of(target)
            .prompt("the cat").decoder(d).maxTokens(20).samples(3).seed(1).run();
        assertThat(out).hasSize(3);
        assertThat(target.openTensors()).as(d.spec() + ": target").isZero();
        assertThat(draft.openTensors()).as(d.spec() + ": draft").isZero();
      }
    }
  }

  private static void leakLoop(OnnxCausalLm m) {
    long before = m.openTensors();
    OnnxCausalLm.State root = m.start();
    root.append(randomTokens(m, 8, 8));
    assertThat(m.openTensors()).isEqualTo(before + 4);
    Random r = new Random(9);
    for (int i = 0; i < 200; i++) {
      OnnxCausalLm.State f = root.fork();
      f.append(randomTokens(m, 1 + r.nextInt(4), i));
      f.truncate(r.nextInt(f.length() + 1));
      f.scoreTree(new int[] {-1, 0, -1}, new int[] {1, 2, 3});
      f.append(5);
      f.close();
    }
    assertThat(m.openTensors()).isEqualTo(before + 4);
    // dropped without close: the garbage collector's cleaner closes them
    for (int i = 0; i < 50; i++) {
      root.fork().append(1, 2);
    }
    assertThat(m.openTensors()).isGreaterThan(before + 4);
    for (int i = 0; i < 100 && m.openTensors() > before + 4; i++) {
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(m.openTensors()).isEqualTo(before + 4);
    root.close();
    assertThat(m.openTensors()).isEqualTo(before);
  }
}
