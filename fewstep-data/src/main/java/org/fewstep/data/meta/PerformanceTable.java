package org.fewstep.data.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Table;

/**
 * MetaInf's performance table (section 15(b), offline stage): one measurement per situation, sampler
 * spec and NFE budget, with the situation's {@link SituationFeatures}, the step count used (the
 * largest whose NFE fits the budget), its NFE, the RMSE to the exact endpoint and the seconds it
 * took. Read and written as CSV with the header {@link #COLUMNS}; {@link #bundled()} is the table
 * measured by {@code org.fewstep.bench.MetaInfRecords}.
 */
public final class PerformanceTable {
  /** The CSV header. */
  public static final List<String> COLUMNS = List.of("situation", "model", "dimension", "data_std", "neighbour_ratio",
      "classes", "guidance", "sampler", "budget", "steps", "nfe", "rmse", "seconds");

  /** The bundled resource (see {@code org.fewstep.bench.MetaInfRecords}). */
  public static final String RESOURCE = "diffusion-records.csv";

  /**
   * One measurement.
   *
   * @param situation a unique name of the situation (model and guidance)
   * @param model     the model it belongs to; held-out evaluation leaves out whole models
   */
  public record Row(String situation, String model, SituationFeatures features, String sampler, int budget, int steps,
      int nfe, double rmse, double seconds) {
    public Row {
      BadInputException.requireAtLeast("budget", budget, 1);
      BadInputException.requireAtLeast("steps", steps, 1);
      BadInputException.requireAtLeast("nfe", nfe, 1);
      if (nfe > budget) {
        throw BadInputException.of("nfe", nfe, "at most the budget " + budget + " (sampler " + sampler + ", situation " + situation + ")");
      }
      if (!(rmse > 0) || Double.isInfinite(rmse)) {
        throw BadInputException.of("rmse", rmse, "a finite number > 0 (sampler " + sampler + ", situation " + situation + ")");
      }
    }
  }

  /**
   * The learners' view of one budget: situations x candidates, every candidate that was measured at
   * this budget measured on every situation.
   *
   * @param logError {@code [situation][candidate]} log10 RMSE
   */
  public record Slice(int budget, List<String> situations, List<SituationFeatures> features, List<String> candidates,
      int[] steps, int[] nfe, double[][] logError) {}

  private final List<Row> rows;

  public PerformanceTable(List<Row> rows) {
    if (rows.isEmpty()) {
      throw BadInputException.of("performance table", "no rows", "at least one measurement");
    }
    Map<String, Row> first = new LinkedHashMap<>();
    for (Row r : rows) {
      Row f = first.putIfAbsent(r.situation(), r);
      if (f != null && (!f.features().equals(r.features()) || !f.model().equals(r.model()))) {
        throw BadInputException.of("situation " + r.situation(), r.model() + " " + r.features(),
            "the same model and features in every row (first: " + f.model() + " " + f.features() + ")");
      }
    }
    this.rows = List.copyOf(rows);
  }

  public List<Row> rows() {
    return rows;
  }

  /** The recorded budgets, ascending. */
  public List<Integer> budgets() {
    TreeSet<Integer> b = new TreeSet<>();
    rows.forEach(r -> b.add(r.budget()));
    return List.copyOf(b);
  }

  /** The situations in order of first appearance. */
  public List<String> situations() {
    LinkedHashSet<String> s = new LinkedHashSet<>();
    rows.forEach(r -> s.add(r.situation()));
    return List.copyOf(s);
  }

  /** The models in order of first appearance. */
  public List<String> models() {
    LinkedHashSet<String> s = new LinkedHashSet<>();
    rows.forEach(r -> s.add(r.model()));
    return List.copyOf(s);
  }

  /** The rows that pass {@code keep}; null if none. */
  public PerformanceTable filter(Predicate<Row> keep) {
    List<Row> kept = rows.stream().filter(keep).toList();
    return kept.isEmpty() ? null : new PerformanceTable(kept);
  }

  /** The situations x candidates view of one recorded budget. */
  public Slice slice(int budget) {
    List<String> situations = new ArrayList<>();
    List<SituationFeatures> features = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    Map<String, Map<String, Row>> cells = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.budget() != budget) {
        continue;
      }
      if (!cells.containsKey(r.situation())) {
        situations.add(r.situation());
        features.add(r.features());
        cells.put(r.situation(), new LinkedHashMap<>());
      }
      if (!candidates.contains(r.sampler())) {
        candidates.add(r.sampler());
      }
      if (cells.get(r.situation()).put(r.sampler(), r) != null) {
        throw BadInputException.of("performance table", "two rows for " + r.situation() + ", " + r.sampler() + ", budget " + budget,
            "one row per situation, sampler and budget");
      }
    }
    if (situations.isEmpty()) {
      throw BadInputException.of("budget", budget, "a recorded budget " + budgets());
    }
    int[] steps = new int[candidates.size()];
    int[] nfe = new int[candidates.size()];
    double[][] logError = new double[situations.size()][candidates.size()];
    for (int i = 0; i < situations.size(); i++) {
      for (int c = 0; c < candidates.size(); c++) {
        Row r = cells.get(situations.get(i)).get(candidates.get(c));
        if (r == null) {
          throw BadInputException.of("performance table", "no row for situation " + situations.get(i) + ", sampler "
              + candidates.get(c) + ", budget " + budget, "every sampler of a budget measured on every situation");
        }
        steps[c] = Math.max(steps[c], r.steps());
        nfe[c] = Math.max(nfe[c], r.nfe());
        logError[i][c] = Math.log10(r.rmse());
      }
    }
    return new Slice(budget, List.copyOf(situations), List.copyOf(features), List.copyOf(candidates), steps, nfe, logError);
  }

  /** The table as CSV with the header {@link #COLUMNS}. */
  public String toCsv() {
    Table t = new Table(COLUMNS.toArray(String[]::new)).doubleFormat("%.6e");
    for (Row r : rows) {
      SituationFeatures f = r.features();
      t.add(r.situation(), r.model(), f.dimension(), f.dataStd(), f.neighbourRatio(), f.classes(), f.guidance(), r.sampler(),
          r.budget(), r.steps(), r.nfe(), r.rmse(), String.format(Locale.ROOT, "%.4f", r.seconds()));
    }
    return t.toCsv();
  }

  /** Reads a CSV file written by {@link #toCsv()}. */
  public static PerformanceTable read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bundled table measured by {@code org.fewstep.bench.MetaInfRecords} (read once per JVM). */
  public static PerformanceTable bundled() {
    return Bundled.TABLE;
  }

  private static final class Bundled {
    static final PerformanceTable TABLE = load();

    private static PerformanceTable load() {
      try (InputStream in = PerformanceTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("bundled resource " + RESOURCE + " is missing");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Parses CSV text with the header {@link #COLUMNS}; {@code name} is used in error messages. */
  public static PerformanceTable parse(String csv, String name) {
    String[] lines = csv.split("\r?\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      throw BadInputException.of(name, "empty", "a CSV table with the header " + String.join(",", COLUMNS));
    }
    List<String> header = splitCsv(lines[0], name, 1);
    if (!header.equals(COLUMNS)) {
      List<String> unknown = header.stream().filter(h -> !COLUMNS.contains(h)).toList();
      throw BadInputException.of(name + " header", String.join(",", header),
          "the columns " + String.join(",", COLUMNS) + (unknown.isEmpty() ? "" : " (unknown: " + String.join(",", unknown) + ")"));
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      List<String> c = splitCsv(lines[i], name, i + 1);
      String where = name + " line " + (i + 1);
      if (c.size() != COLUMNS.size()) {
        throw BadInputException.of(where, lines[i], COLUMNS.size() + " cells (" + String.join(",", COLUMNS) + ")");
      }
      try {
        SituationFeatures f = new SituationFeatures(integer(where, "dimension", c.get(2)), number(where, "data_std", c.get(3)),
            number(where, "neighbour_ratio", c.get(4)), integer(where, "classes", c.get(5)), number(where, "guidance", c.get(6)));
        rows.add(new Row(c.get(0), c.get(1), f, c.get(7), integer(where, "budget", c.get(8)), integer(where, "steps", c.get(9)),
            integer(where, "nfe", c.get(10)), number(where, "rmse", c.get(11)), number(where, "seconds", c.get(12))));
      } catch (BadInputException e) {
        throw e.getMessage().startsWith(where) ? e : new BadInputException(where + ": " + e.getMessage(), e);
      }
    }
    try {
      return new PerformanceTable(rows);
    } catch (BadInputException e) {
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static int integer(String where, String column, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw BadInputException.of(where + ", " + column, text, "an integer");
    }
  }

  private static double number(String where, String column, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw BadInputException.of(where + ", " + column, text, "a number");
    }
  }

  /** One CSV line with RFC 4180 quoting (as {@link Table#toCsv()} writes it). */
  static List<String> splitCsv(String line, String name, int lineNumber) {
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
      throw BadInputException.of(name + " line " + lineNumber, line, "closed quotes");
    }
    cells.add(cell.toString());
    return cells;
  }
}
