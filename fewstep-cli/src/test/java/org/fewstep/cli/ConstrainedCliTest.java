package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate --regex / --grammar with each constrained sampler on the KJV model; bad combinations exit 2. */
class ConstrainedCliTest {
  @TempDir
  Path dir;

  @Test
  void everySamplerKeepsTheTextInTheLanguage() throws Exception {
    String pattern = " [A-Z][a-z]+( [a-z]+){1,4}\\.";
    for (String kind : new String[] {"mask", "awrs", "asap"}) {
      CliRun r = CliRun.run("generate", "--prompt", "And God said", "--regex", pattern, "--constrained", kind, "-n", "3",
          "--seed", "4", "--max-tokens", "30");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().lines()).hasSize(3)
          .allSatisfy(l -> assertThat(l.substring("And God said".length())).matches(pattern));
    }
    Path g = Files.writeString(dir.resolve("answer.gbnf"), "root ::= \" \" (\"yea\" | \"nay\" | \"the LORD\" (\" \" [a-z]+){1,3}) \".\"\n");
    CliRun smc = CliRun.run("generate", "--prompt", "And he said", "--grammar", g.toString(), "--constrained",
        "smc:particles=4,estimator=geometric", "-n", "2", "--max-tokens", "20");
    assertThat(smc.code()).as(smc.err()).isZero();
    assertThat(smc.out().lines()).hasSize(2)
        .allSatisfy(l -> assertThat(l.substring("And he said".length())).matches(" (yea|nay|the LORD( [a-z]+){1,3})\\."));
    assertThat(smc.err()).contains("log Z");
    CliRun awrs = CliRun.run("generate", "--grammar", g.toString(), "--constrained", "awrs", "--max-tokens", "20");
    assertThat(awrs.err()).contains("constraint evaluations per token");
  }

  @Test
  void jsonSchemaOutputsValidate() throws Exception {
    Path schema = Files.writeString(dir.resolve("verdict.json"), """
        {"type": "object", "properties": {"verdict": {"enum": ["yea", "nay"]},
          "count": {"type": "integer", "minimum": 1, "maximum": 12}},
         "required": ["verdict", "count"], "additionalProperties": false}""");
    for (String[] how : new String[][] {{"--constrained", "mask"}, {"--constrained", "awrs"}, {"--sampler", "greedy"},
        {"--speculative", "draft=kjv-small,k=3"}}) {
      CliRun r = CliRun.run("generate", "--json-schema", schema.toString(), "--whitespace", "compact", how[0], how[1],
          "-n", "2", "--seed", "3", "--max-tokens", "40");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().lines()).hasSize(2)
          .allSatisfy(l -> assertThat(l).matches("\\{\"verdict\":\"(yea|nay)\",\"count\":([1-9]|1[0-2])}"));
    }
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"type\": \"object\", \"properties\": {\"a\": {\"uniqueItems\": true}}}");
    CliRun bad = CliRun.run("generate", "--json-schema", broken.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("#/properties/a").contains("uniqueItems");
  }

  /** --sampler and --speculative decode the model masked by the constraint (rejected drafts roll it back). */
  @Test
  void samplersAndSpeculationRunUnderTheConstraint() {
    String pattern = " [A-Z][a-z]+( [a-z]+){1,4}\\.";
    for (String[] extra : new String[][] {{"--sampler", "greedy"}, {"--sampler", "sample:temperature=0.7"},
        {"--speculative", "draft=kjv-small,k=3"}, {"--speculative", "draft=prompt-lookup,k=4"}}) {
      CliRun r = CliRun.run("generate", "--prompt", "And God said", "--regex", pattern, extra[0], extra[1], "-n", "2",
          "--seed", "5", "--max-tokens", "30");
      assertThat(r.code()).as(String.join(" ", extra) + ": " + r.err()).isZero();
      assertThat(r.out().lines()).as(String.join(" ", extra)).hasSize(2)
          .allSatisfy(l -> assertThat(l.substring("And God said".length())).matches(pattern));
    }
  }

  /** --approx: a fuzzy template within k mismatching bytes, checked with the naive Hamming distance. */
  @Test
  void approximatePatternsStayWithinTheMismatches() {
    String pattern = " And God said unto Moses, I AM THAT I AM.";
    CliRun r = CliRun.run("generate", "--prompt", "And it came to pass", "--approx", pattern, "--mismatches", "6", "-n", "3",
        "--seed", "2", "--max-tokens", "40");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(3).allSatisfy(l -> {
      String text = l.substring("And it came to pass".length());
      byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] p = pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(t).hasSameSizeAs(p);
      assertThat(org.fewstep.constrain.approx.HammingDistances.naive(org.fewstep.constrain.approx.HammingDistances.symbols(t),
          org.fewstep.constrain.approx.HammingDistances.symbols(p))[0]).isLessThanOrEqualTo(6);
    });
    assertThat(CliRun.run("generate", "--mismatches", "2").err()).contains("--approx as well");
    assertThat(CliRun.run("generate", "--approx", "abc", "--mismatches", "-1").code()).isEqualTo(2);
  }

  @Test
  void badCombinationsExitWithTwo() {
    assertThat(CliRun.run("generate", "--constrained", "awrs").err()).contains("--regex, --grammar, --json-schema or --approx as well");
    CliRun both = CliRun.run("generate", "--regex", "a", "--grammar", "x.gbnf");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("one of --regex, --grammar, --json-schema and --approx");
    CliRun ws = CliRun.run("generate", "--regex", "a", "--whitespace", "compact");
    assertThat(ws.code()).isEqualTo(2);
    assertThat(ws.err()).contains("--json-schema as well");
    assertThat(CliRun.run("generate", "--regex", "a", "--sampler", "greedy", "--constrained", "awrs").code()).isEqualTo(2);
    CliRun bad = CliRun.run("generate", "--regex", "a(?=b)");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("offset 1");
    assertThat(CliRun.run("generate", "--regex", "a", "--constrained", "smc:particles=0").code()).isEqualTo(2);
    CliRun estimator = CliRun.run("generate", "--regex", "a", "--constrained", "smc:estimator=exact");
    assertThat(estimator.code()).isEqualTo(2);
    assertThat(estimator.err()).contains("auto, paper, recursive or geometric");
    assertThat(CliRun.run("generate", "--regex", "a", "--constrained", "smc:particle=4").err()).contains("particles=N");
    assertThat(CliRun.run("generate", "--masked", "--regex", "a").code()).isEqualTo(2);
  }
}
