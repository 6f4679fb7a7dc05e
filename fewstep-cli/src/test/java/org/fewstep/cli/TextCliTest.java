package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.Scores;
import org.fewstep.text.model.LanguageModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate, score and train ngram end to end: outputs, reproducibility, exit code 2 for bad input. */
class TextCliTest {
  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void generateStreamsTextAndIsReproducible() {
    String[] args = {"generate", "--model", "kjv-small", "--prompt", "And God said", "--max-tokens", "12", "-n", "2",
        "--seed", "5", "--sampler", "sample:top-p=0.9,temperature=0.8"};
    CliRun a = run(args);
    CliRun b = run(args);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
    List<String> lines = a.out().lines().toList();
    assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("And God said"));
    assertThat(a.err()).contains("2 sample(s)").contains("kjv-small");
  }

  @Test
  void jsonlHasTextTokensAndLogprobsThatAgreeWithTheModel() throws IOException {
    CliRun r = run("generate", "--model", "kjv-small", "--max-tokens", "15", "-n", "3", "--format", "jsonl",
        "--top-logprobs", "2", "--seed", "1");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    LanguageModel lm = LanguageModels.create("kjv-small");
    ObjectMapper mapper = new ObjectMapper();
    for (int i = 0; i < 3; i++) {
      JsonNode o = mapper.readTree(lines.get(i));
      assertThat(o.get("index").asInt()).isEqualTo(i);
      int n = o.get("tokens").size();
      assertThat(o.get("logprobs").size()).isEqualTo(n);
      assertThat(o.get("top_logprobs").size()).isEqualTo(n);
      assertThat(o.get("finish").asText()).isIn("eos", "length");
      int[] ids = new int[n];
      double sum = 0;
      for (int j = 0; j < n; j++) {
        ids[j] = o.get("tokens").get(j).asInt();
        sum += o.get("logprobs").get(j).asDouble();
        assertThat(o.get("top_logprobs").get(j).get(0).get("logprob").asDouble())
            .isGreaterThanOrEqualTo(o.get("logprobs").get(j).asDouble());
      }
      boolean ended = ids[n - 1] == lm.vocabulary().eos();
      int[] textIds = ended ? java.util.Arrays.copyOf(ids, n - 1) : ids;
      assertThat(o.get("text").asText()).isEqualTo(lm.tokenizer().decode(textIds));
      // the sum of the per-token log-probabilities is the model's score of the text
      Scores s = Scores.of(lm, o.get("text").asText(), ended);
      if (java.util.Arrays.equals(s.tokens(), ids)) {
        assertThat(sum).isCloseTo(s.total(), org.assertj.core.data.Offset.offset(1e-9));
      }
      assertThat(o.get("logprob").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void scorePrintsTheExactLogProbability() {
    String verse = "In the beginning God created the heaven and the earth.";
    CliRun r = run("score", "--model", "kjv-small", "--text", verse, "--eos", "--tokens");
    assertThat(r.code()).as(r.err()).isZero();
    double expected = Scores.of(LanguageModels.create("kjv-small"), verse, true).total();
    assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "logprob %.6f", expected));
    assertThat(r.out().lines().count()).isEqualTo(13); // 12 tokens and the summary
    CliRun hmm = run("score", "--model", "weather-hmm", "--text", "walk shop");
    // P(walk) = 0.55 * 0.9 * 0.15 + 0.45 * 0.85 * 0.55 = 0.284625 ... checked in the HMM tests; here: it runs
    assertThat(hmm.code()).as(hmm.err()).isZero();
    assertThat(hmm.out()).startsWith("logprob -");
  }

  @Test
  void trainNgramWritesAModelThatGenerateAndScoreRead() throws IOException {
    Path corpus = dir.resolve("corpus.txt");
    Files.writeString(corpus, "the cat sat on the mat.\nthe dog sat on the log.\n\nthe cat saw the dog.\n");
    Path model = dir.resolve("m.ngram.gz");
    CliRun t = run("train", "ngram", "--corpus", corpus.toString(), "--order", "3", "--tokenizer", "word", "--out",
        model.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("3 lines");
    assertThat(Files.size(model)).isPositive();
    CliRun g = run("generate", "--model", "ngram:" + model, "--prompt", "the", "--sampler", "greedy", "--max-tokens", "8");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.out()).startsWith("the");
    CliRun s = run("score", "--model", "ngram:" + model, "--text", "the cat sat on the mat.", "--eos");
    assertThat(s.code()).as(s.err()).isZero();
    CliRun again = run("train", "ngram", "--corpus", corpus.toString(), "--order", "3", "--tokenizer", "word", "--out",
        dir.resolve("m2.ngram.gz").toString());
    assertThat(again.code()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("m2.ngram.gz"))).isEqualTo(Files.readAllBytes(model));
  }

  @Test
  void exactExampleModelsGenerate() {
    CliRun hmm = run("generate", "--model", "weather-hmm", "-n", "3", "--max-tokens", "10");
    assertThat(hmm.code()).as(hmm.err()).isZero();
    assertThat(hmm.out().lines().toList()).hasSize(3)
        .allMatch(l -> l.isEmpty() || l.matches("(walk|shop|clean)( (walk|shop|clean))*"));
    CliRun pcfg = run("generate", "--model", "arith-pcfg", "--sampler", "cntp", "-n", "2", "--max-tokens", "30");
    assertThat(pcfg.code()).as(pcfg.err()).isZero();
  }

  @Test
  void speculativeGenerationPrintsItsStatistics() {
    CliRun r = run("generate", "--model", "kjv-small", "--speculative", "draft=kjv-small,k=3", "--stats",
        "--max-tokens", "20", "--seed", "4");
    assertThat(r.code()).as(r.err()).isZero();
    // the draft is the target: every draft token is accepted, and the optimum is 1
    assertThat(r.err()).contains("acceptance 1.0000").contains("optimum 1.0000 (100.0 %)");
    CliRun plain = run("generate", "--model", "kjv-small", "--sampler", "greedy", "--max-tokens", "15");
    CliRun fast = run("generate", "--model", "kjv-small", "--sampler", "greedy", "--speculative",
        "draft=prompt-lookup,k=4", "--max-tokens", "15");
    assertThat(fast.code()).as(fast.err()).isZero();
    assertThat(fast.out()).isEqualTo(plain.out());
    CliRun bad = run("generate", "--model", "kjv-small", "--speculative", "draft=weather-hmm,k=2");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("vocabulary");
    CliRun noSpec = run("generate", "--model", "kjv-small", "--stats");
    assertThat(noSpec.code()).isEqualTo(2);
    assertThat(noSpec.err()).contains("--speculative");
  }

  @Test
  void badInputExitsWithCode2AndAMessage() throws IOException {
    Path badHmm = dir.resolve("bad.json");
    Files.writeString(badHmm, "{\"vocab\": [\"a\", \"b\"], \"initial\": [0.5, 0.5], \"transition\": [[0.5, 0.4], [0.5, 0.5]],"
        + " \"emission\": [[1, 0], [0, 1]]}");
    Path badPcfg = dir.resolve("bad.pcfg");
    Files.writeString(badPcfg, "S -> \"a\" S [0.5]\nS -> \"b\" [0.6]\n");
    String[][] cases = {
        {"generate", "--model", "nope"},
        {"generate", "--model", "kjv-small", "--sampler", "nucleus"},
        {"generate", "--model", "kjv-small", "--sampler", "sample:top-q=0.9"},
        {"generate", "--model", "kjv-small", "--sampler", "sample:top-p=0"},
        {"generate", "--model", "kjv-small", "--sampler", "sample:top-p=1.2"},
        {"generate", "--model", "kjv-small", "--sampler", "sample:top-k=-1"},
        {"generate", "--model", "kjv-small", "--sampler", "sample:mirostat=2,top-k=40"},
        {"generate", "--model", "kjv-small", "--max-tokens", "0"},
        {"generate", "--model", "kjv-small", "--format", "xml"},
        {"generate", "--model", "hmm:" + badHmm},
        {"generate", "--model", "pcfg:" + badPcfg},
        {"generate", "--model", "hmm:" + dir.resolve("missing.json")},
        {"generate", "--model", "weather-hmm", "--prompt", "walk swim"},
        {"score", "--model", "weather-hmm"},
        {"train", "ngram", "--corpus", dir.resolve("none.txt").toString(), "--out", dir.resolve("x").toString()},
    };
    String[] expected = {"nope", "nucleus", "top-q", "top-p", "top-p", "top-k", "mirostat", "max tokens", "--format",
        "transition", "sum", "missing.json", "swim", "--text", "none.txt"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = run(cases[i]);
      assertThat(r.code()).as("%s -> %s", String.join(" ", cases[i]), r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", cases[i])).contains(expected[i]);
    }
    Path corpus = dir.resolve("c.txt");
    Files.writeString(corpus, "a b\n");
    CliRun order = run("train", "ngram", "--corpus", corpus.toString(), "--order", "7", "--out", dir.resolve("o").toString());
    assertThat(order.code()).isEqualTo(2);
    assertThat(order.err()).contains("order = 7");
    CliRun tok = run("train", "ngram", "--corpus", corpus.toString(), "--tokenizer", "cl100", "--out", dir.resolve("o").toString());
    assertThat(tok.code()).isEqualTo(2);
    assertThat(tok.err()).contains("cl100").contains("did you mean 'cl100k'");
  }
}
