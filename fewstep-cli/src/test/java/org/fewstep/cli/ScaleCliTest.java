package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fewstep.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fewstep scale}: the table, CSV and plot, a task-set file, and bad input with exit code 2. */
class ScaleCliTest {
  @TempDir
  Path dir;

  @Test
  void scaleWritesTableCsvAndPlot() throws IOException {
    Path csv = dir.resolve("scale.csv");
    Path png = dir.resolve("scale.png");
    CliRun r = run("scale", "--task", "arithmetic:problems=30", "--method", "bon;pf", "--budget", "1,4", "--csv", csv.toString(),
        "--plot", png.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| coverage (pass@k)").contains("| bon").contains("| pf").contains("coverage fit");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(1 + 2 * 2);
    assertThat(lines.get(0)).startsWith("method,budget,accuracy");
    assertThat(Files.size(png)).isPositive();
    assertThat(Files.size(dir.resolve("scale-tokens.png"))).isPositive();
  }

  @Test
  void aTaskSetFileIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("tasks.json"), "[{\"terms\": [1, 2, 3], \"error\": 0}, {\"terms\": [4, 5], \"error\": 0}]");
    CliRun r = run("scale", "--task", file.toString(), "--method", "sc", "--budget", "1", "--no-coverage");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 problems").contains("| sc     | 1.000 |");
  }

  @Test
  void aBudgetAMethodCannotSpendIsSkippedWithItsReason() {
    CliRun r = run("scale", "--task", "arithmetic:problems=5", "--method", "beam;pg", "--budget", "4,6,8", "--no-coverage");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("skipped beam at N=6: beam search: budget N = 6: expected a multiple of the width 4")
        .contains("skipped pg at N=4").contains("skipped pg at N=6").doesNotContain("skipped pg at N=8");
  }

  @Test
  void badInputExitsWith2() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"terms\": [1], \"error\": 0.1}]");
    List<String[]> cases = List.of(
        new String[] {"--budget = 0,4: expected comma-separated integers >= 1", "scale", "--method", "bon", "--budget", "0,4"},
        new String[] {"unknown method 'bestofn'", "scale", "--method", "bestofn"},
        new String[] {"sigma", "scale", "--method", "bon", "--prm", "noisy:sigma=-1"},
        new String[] {"problem 0: arithmetic task: number of terms", "scale", "--method", "bon", "--task", bad.toString()},
        new String[] {"--runs", "scale", "--method", "bon", "--runs", "0"});
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains(c[0]);
    }
  }
}
