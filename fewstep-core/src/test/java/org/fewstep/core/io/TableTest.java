package org.fewstep.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link Table}. Oracle: expected CSV (RFC 4180 quoting) and Markdown text written out by
 * hand, and number texts from the printf rules ({@code %.4e} of 12345.678 is {@code 1.2346e+04}).
 */
class TableTest {

  @Test
  void csvQuotesCommasQuotesAndNewlines() {
    Table t = new Table("name", "value, unit")
        .add("a,b", 1.0)
        .add("say \"hi\"", 2.5)
        .add("two\nlines", Double.NaN)
        .add("cr\rhere", 7)
        .add("plain", -3L);
    assertThat(t.toCsv()).isEqualTo(
        "name,\"value, unit\"\n"
            + "\"a,b\",1.0000e+00\n"
            + "\"say \"\"hi\"\"\",2.5000e+00\n"
            + "\"two\nlines\",nan\n"
            + "\"cr\rhere\",7\n"
            + "plain,-3\n");
  }

  @Test
  void csvLinesParseBackToTheirCells() {
    Table t = new Table("name", "value, unit").add("say \"hi\", twice", "x").add("", "plain");
    java.util.List<String> lines = t.toCsv().lines().toList();
    assertThat(Table.parseCsvLine(lines.get(0), "l1")).containsExactly("name", "value, unit");
    assertThat(Table.parseCsvLine(lines.get(1), "l2")).containsExactly("say \"hi\", twice", "x");
    assertThat(Table.parseCsvLine(lines.get(2), "l3")).containsExactly("", "plain");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Table.parseCsvLine("a,\"b", "file.csv line 4"))
        .isInstanceOf(org.fewstep.core.BadInputException.class).hasMessageContaining("file.csv line 4").hasMessageContaining("closed quotes");
  }

  @Test
  void numbersUseTheTableFormat() {
    Table t = new Table("x").add(12345.678).add(-0.000123456).add(2.5f).add(42).add(Double.NaN)
        .add(Double.POSITIVE_INFINITY).add("1.5");
    assertThat(t.text(0, 0)).isEqualTo("1.2346e+04");
    assertThat(t.text(1, 0)).isEqualTo("-1.2346e-04");
    assertThat(t.text(2, 0)).isEqualTo("2.5000e+00"); // Float cells are formatted too
    assertThat(t.text(3, 0)).isEqualTo("42"); // integers are printed as they are
    assertThat(t.text(4, 0)).isEqualTo("nan");
    assertThat(t.text(5, 0)).isEqualTo("Infinity");
    assertThat(t.text(6, 0)).isEqualTo("1.5"); // strings untouched

    t.doubleFormat("%.6g");
    assertThat(t.text(0, 0)).isEqualTo("12345.7");
    assertThat(t.text(4, 0)).isEqualTo("nan"); // NaN stays nan whatever the format
    t.doubleFormat("%.2f");
    assertThat(t.text(0, 0)).isEqualTo("12345.68");
    assertThat(t.cell(0, 0)).isEqualTo(12345.678);
    assertThat(t.rowCount()).isEqualTo(7);
  }

  @Test
  void numberFormattingIgnoresTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // decimal comma
      Table t = new Table("x").add(1.5);
      assertThat(t.text(0, 0)).isEqualTo("1.5000e+00");
      assertThat(t.doubleFormat("%.3f").text(0, 0)).isEqualTo("1.500");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void markdownPadsColumnsToTheWidestCell() {
    Table t = new Table("sampler", "x").add("euler", 0.1).add("dpmpp-2m", 12);
    assertThat(t.toMarkdown()).isEqualTo(
        "| sampler  | x          |\n"
            + "| -------- | ---------- |\n"
            + "| euler    | 1.0000e-01 |\n"
            + "| dpmpp-2m | 12         |\n");
  }

  @Test
  void markdownColumnsAreAtLeastThreeWide() {
    assertThat(new Table("a", "b").add(1, 2).toMarkdown()).isEqualTo(
        "| a   | b   |\n"
            + "| --- | --- |\n"
            + "| 1   | 2   |\n");
  }

  /** '|' is escaped as '\|' and the column is as wide as the escaped text (so the table stays aligned). */
  @Test
  void markdownEscapesPipes() {
    Table t = new Table("k", "v|w").add("a|b", "c").add("longer", "d");
    assertThat(t.toMarkdown()).isEqualTo(
        "| k      | v\\|w |\n"
            + "| ------ | ---- |\n"
            + "| a\\|b   | c    |\n"
            + "| longer | d    |\n");
    // the escaped cell is the widest of its column
    assertThat(new Table("x").add("a|b").toMarkdown()).isEqualTo(
        "| x    |\n"
            + "| ---- |\n"
            + "| a\\|b |\n");
  }

  @Test
  void wrongRowLengthIsBadInput() {
    Table t = new Table("a", "b");
    assertThatThrownBy(() -> t.add(1))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("table row = [1]")
        .hasMessageContaining("2 cells [a, b]");
    assertThatThrownBy(() -> t.add(1, 2, 3)).isInstanceOf(BadInputException.class);
    assertThat(t.rowCount()).isZero();
  }

  @Test
  void writeCsvWritesUtf8(@TempDir Path dir) throws IOException {
    Table t = new Table("σ", "ok").add("ü", 1);
    Path file = dir.resolve("t.csv");
    t.writeCsv(file);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("σ,ok\nü,1\n");
    assertThat(t.columns()).containsExactly("σ", "ok");
  }
}
