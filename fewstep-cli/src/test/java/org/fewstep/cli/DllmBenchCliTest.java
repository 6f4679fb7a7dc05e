package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench dllm} end to end at tiny sizes: the tables' shapes and a few relations they must satisfy. */
class DllmBenchCliTest {
  @TempDir
  Path dir;

  @Test
  void benchDllmWritesItsTablesAndTheyMakeSense() throws IOException {
    CliRun r = CliRun.run("bench", "dllm", "--lengths", "8", "-n", "200", "--prompt", "4", "--trained", "none",
        "--decoders", "fhs;llada;llada:steps=4;mdm:steps=1", "--lsd", "4", "--tv-length", "3",
        "--tv-decoders", "fhs;mdm:steps=1;mdm:steps=3", "--tv-samples", "4000",
        "--speed-length", "16", "--speed-samples", "1", "--csv", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("## NFE against likelihood").contains("## Fewest NFE at equal likelihood")
        .contains("## Exact TV at length 3").contains("## FHS against the ancestral sampler at length 16")
        .contains("| llada:steps=4 ");

    List<Map<String, String>> nfe = csv(dir.resolve("dllm-nfe.csv"));
    // exact samples, four decoders, LSD and LSD+ with 8 / 4 = 2 steps
    assertThat(nfe).hasSize(7);
    assertThat(nfe).extracting(m -> m.get("decoder"))
        .containsExactly("exact samples", "fhs", "llada", "llada:steps=4", "mdm:steps=1", "lsd M=2", "lsd+ M=2");
    Map<String, Map<String, String>> byDecoder = new HashMap<>();
    nfe.forEach(m -> byDecoder.put(m.get("decoder"), m));
    // one token per step: NFE = length; the greedy baseline is llada itself (difference 0)
    assertThat(byDecoder.get("llada").get("NFE")).isEqualTo("8.0");
    assertThat(byDecoder.get("llada").get("NFE/L")).isEqualTo("1.000");
    assertThat(Double.parseDouble(byDecoder.get("llada").get("Δ vs 1x"))).isZero();
    assertThat(byDecoder.get("llada:steps=4").get("NFE")).isEqualTo("4.0");
    assertThat(byDecoder.get("mdm:steps=1").get("NFE")).isEqualTo("1.0");
    // at most one call per student step (a step that reveals nothing calls nothing)
    assertThat(number(byDecoder.get("lsd M=2"), "NFE")).isLessThanOrEqualTo(2.0).isGreaterThanOrEqualTo(1.0);
    assertThat(Double.parseDouble(byDecoder.get("lsd M=2").get("train s"))).isPositive();
    // exact samples and FHS (exact on the exact model) are close to the exact pair marginal; greedy decoding is not
    double exactTv = number(byDecoder.get("exact samples"), "pair TV");
    double fhsTv = number(byDecoder.get("fhs"), "pair TV");
    assertThat(exactTv).isLessThan(0.1);
    assertThat(fhsTv).isLessThan(0.1);
    assertThat(number(byDecoder.get("llada"), "pair TV")).as("greedy decoding is mode seeking").isGreaterThan(Math.max(exactTv, fhsTv));
    // the log-likelihood of FHS's continuations matches the exact samples' within the noise
    double gap = number(byDecoder.get("fhs"), "loglik/token") - number(byDecoder.get("exact samples"), "loglik/token");
    double se = Math.hypot(number(byDecoder.get("fhs"), "± se"), number(byDecoder.get("exact samples"), "± se"));
    assertThat(Math.abs(gap)).isLessThan(4 * se);

    List<Map<String, String>> tv = csv(dir.resolve("dllm-tv.csv"));
    assertThat(tv).hasSize(1 + 3 + 2);
    double floor = number(tv.get(0), "TV to exact joint");
    double fhsJoint = number(tv.get(1), "TV to exact joint");
    assertThat(floor).isLessThan(0.12);
    assertThat(fhsJoint).isLessThan(0.12);
    // revealing all three positions at once from their marginals is far from the joint
    assertThat(tv.get(2).get("decoder")).isEqualTo("mdm:steps=1");
    assertThat(number(tv.get(2), "TV to exact joint")).isGreaterThan(fhsJoint + 0.1);

    List<Map<String, String>> speed = csv(dir.resolve("dllm-speed.csv"));
    assertThat(speed).hasSize(6);
    assertThat(speed).extracting(m -> m.get("decoder")).containsExactly("fhs", "mdm:steps=16",
        "mdm:steps=16,caching=false", "fhs", "mdm:steps=16", "mdm:steps=16,caching=false");
    assertThat(speed.get(0).get("NFE")).isEqualTo("16.0");
    assertThat(speed.get(0).get("wall / fhs")).isEqualTo("1.00");

    assertThat(csv(dir.resolve("dllm-summary.csv"))).isNotEmpty();
  }

  @Test
  void benchDllmRejectsAModelThatIsNotAnHmm() {
    CliRun r = CliRun.run("bench", "dllm", "--model", "tiny-transformer", "--lengths", "8");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--model");
  }

  private static double number(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  /** A CSV without quoted commas (the benchmark's decoder specs have none in these tests). */
  private static List<Map<String, String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String> header = org.fewstep.core.io.Table.parseCsvLine(lines.get(0), "CSV header");
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = org.fewstep.core.io.Table.parseCsvLine(line, "CSV line");
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        row.put(header.get(c), cells.get(c));
      }
      rows.add(row);
    }
    return rows;
  }
}
