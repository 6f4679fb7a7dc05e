package org.fewstep.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;

/**
 * A small table of results, written as CSV (RFC 4180 quoting) or as a GitHub Markdown table.
 * Cells are strings, integers or doubles; doubles are printed with the table's format
 * ({@code %.4e} unless set), NaN as {@code nan}.
 */
public final class Table {
  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();
  private String doubleFormat = "%.4e";

  public Table(String... columns) {
    this.columns = List.of(columns);
  }

  /** Format used for double cells, e.g. {@code "%.6g"}. */
  public Table doubleFormat(String format) {
    this.doubleFormat = format;
    return this;
  }

  /** Appends a row; it must have one cell per column. */
  public Table add(Object... cells) {
    if (cells.length != columns.size()) {
      throw BadInputException.of("table row", Arrays.toString(cells), columns.size() + " cells " + columns);
    }
    rows.add(List.of(cells));
    return this;
  }

  public List<String> columns() {
    return columns;
  }

  public int rowCount() {
    return rows.size();
  }

  /** The raw cell at (row, column). */
  public Object cell(int row, int column) {
    return rows.get(row).get(column);
  }

  /** The formatted text of a cell. */
  public String text(int row, int column) {
    return format(cell(row, column));
  }

  /**
   * The cells of one CSV line as {@link #toCsv()} writes it (RFC 4180: quotes around a cell, doubled
   * inside it); an unclosed quote is an error naming {@code where}.
   */
  public static List<String> parseCsvLine(String line, String where) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw org.fewstep.core.BadInputException.of(where, line, "closed quotes");
    }
    cells.add(cell.toString());
    return cells;
  }

  public String toCsv() {
    StringBuilder out = new StringBuilder();
    appendCsvLine(out, new ArrayList<>(columns));
    for (int r = 0; r < rows.size(); r++) {
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        cells.add(text(r, c));
      }
      appendCsvLine(out, cells);
    }
    return out.toString();
  }

  public String toMarkdown() {
    // widths are measured on the escaped text, which is what gets printed
    List<String> header = new ArrayList<>();
    columns.forEach(c -> header.add(markdownCell(c)));
    int[] width = new int[columns.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = Math.max(3, header.get(c).length());
      for (int r = 0; r < rows.size(); r++) {
        width[c] = Math.max(width[c], markdownCell(text(r, c)).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendMarkdownLine(out, header, width);
    out.append('|');
    for (int w : width) {
      out.append(' ').append("-".repeat(w)).append(" |");
    }
    out.append('\n');
    for (int r = 0; r < rows.size(); r++) {
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        cells.add(markdownCell(text(r, c)));
      }
      appendMarkdownLine(out, cells, width);
    }
    return out.toString();
  }

  public void writeCsv(Path file) {
    try {
      Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private String format(Object cell) {
    if (cell instanceof Double || cell instanceof Float) {
      double v = ((Number) cell).doubleValue();
      return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, doubleFormat, v);
    }
    return String.valueOf(cell);
  }

  /** A cell's text with '|' escaped so that it does not end the Markdown cell. */
  private static String markdownCell(String text) {
    return text.replace("|", "\\|");
  }

  private static void appendCsvLine(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      if (i > 0) {
        out.append(',');
      }
      if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
        out.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        out.append(cell);
      }
    }
    out.append('\n');
  }

  private static void appendMarkdownLine(StringBuilder out, List<String> cells, int[] width) {
    out.append('|');
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      out.append(' ').append(cell).append(" ".repeat(width[i] - cell.length())).append(" |");
    }
    out.append('\n');
  }
}
