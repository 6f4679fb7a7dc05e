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
 * measured by {@code org.fewstep.bench.MetaInfRecords}. A second {@link Domain}, {@link #MASKED}, holds
 * masked-diffusion decoder records ({@link MaskedFeatures}, the decoder spec in the sampler column, the
 * adjacent-pair TV as the error; {@code bundled(MASKED)} is measured by
 * {@code org.fewstep.bench.MaskedMetaInfRecords}); a table holds one domain, known from its features.
 */
public final class PerformanceTable {
  /**
   * A kind of records: its bundled resource, its feature columns (between {@code model} and
   * {@code sampler}), the name of its error column and how feature values are read back.
   *
   * @param errorColumn the error's column: {@code rmse} (diffusion: RMSE to the exact endpoint) or
   *                    {@code tv} (masked decoding: total variation of the adjacent pairs to the exact ones)
   */
  public record Domain(String name, String resource, List<String> featureColumns, String errorColumn,
      Class<? extends MetaFeatures> type, java.util.function.Function<double[], MetaFeatures> reader) {
    /** The CSV header of this domain. */
    public List<String> columns() {
      List<String> c = new ArrayList<>(List.of("situation", "model"));
      c.addAll(featureColumns);
      c.addAll(List.of("sampler", "budget", "steps", "nfe", errorColumn, "seconds"));
      return List.copyOf(c);
    }
  }

  /** Diffusion sampler records ({@code org.fewstep.bench.MetaInfRecords}). */
  public static final Domain DIFFUSION = new Domain("diffusion", "diffusion-records.csv", SituationFeatures.NAMES, "rmse",
      SituationFeatures.class, v -> new SituationFeatures((int) v[0], v[1], v[2], (int) v[3], v[4]));

  /** Masked-diffusion decoder records ({@code org.fewstep.bench.MaskedMetaInfRecords}). */
  public static final Domain MASKED = new Domain("masked", "masked-records.csv", MaskedFeatures.NAMES, "tv",
      MaskedFeatures.class, v -> new MaskedFeatures((int) v[0], (int) v[1], (int) v[2], v[3], v[4]));

  /** The CSV header of the diffusion records. */
  public static final List<String> COLUMNS = DIFFUSION.columns();

  /** The bundled diffusion resource (see {@code org.fewstep.bench.MetaInfRecords}). */
  public static final String RESOURCE = DIFFUSION.resource();

  /**
   * One measurement.
   *
   * @param situation a unique name of the situation (model and guidance)
   * @param model     the model it belongs to; held-out evaluation leaves out whole models
   * @param rmse      the error (the domain's error column: RMSE for diffusion, pair TV for masked decoding)
   */
  public record Row(String situation, String model, MetaFeatures features, String sampler, int budget, int steps,
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
  public record Slice(int budget, List<String> situations, List<MetaFeatures> features, List<String> candidates,
      int[] steps, int[] nfe, double[][] logError) {}

  private final List<Row> rows;
  private final Domain domain;

  public PerformanceTable(List<Row> rows) {
    if (rows.isEmpty()) {
      throw BadInputException.of("performance table", "no rows", "at least one measurement");
    }
    Class<?> type = rows.get(0).features().getClass();
    domain = type == MaskedFeatures.class ? MASKED : DIFFUSION;
    for (Row r : rows) {
      if (r.features().getClass() != domain.type()) {
        throw BadInputException.of("situation " + r.situation(), r.features().getClass().getSimpleName(),
            "the features of one domain in a table (" + domain.type().getSimpleName() + ")");
      }
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

  /** The domain of the records (from the type of their features). */
  public Domain domain() {
    return domain;
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
    List<MetaFeatures> features = new ArrayList<>();
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

  /** The table as CSV with the header of its domain ({@link Domain#columns()}). */
  public String toCsv() {
    Table t = new Table(domain.columns().toArray(String[]::new)).doubleFormat("%.6e");
    for (Row r : rows) {
      List<Object> cells = new ArrayList<>(List.of(r.situation(), r.model()));
      cells.addAll(r.features().cells());
      cells.addAll(List.of(r.sampler(), r.budget(), r.steps(), r.nfe(), r.rmse(), String.format(Locale.ROOT, "%.4f", r.seconds())));
      t.add(cells.toArray());
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

  /** The bundled diffusion table measured by {@code org.fewstep.bench.MetaInfRecords} (read once per JVM). */
  public static PerformanceTable bundled() {
    return Bundled.TABLE;
  }

  /** The bundled table of a domain (read once per JVM). */
  public static PerformanceTable bundled(Domain domain) {
    return domain == DIFFUSION ? Bundled.TABLE : BundledMasked.TABLE;
  }

  private static final class Bundled {
    static final PerformanceTable TABLE = load(RESOURCE);
  }

  private static final class BundledMasked {
    static final PerformanceTable TABLE = load(MASKED.resource());
  }

  private static PerformanceTable load(String resource) {
    try (InputStream in = PerformanceTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled resource " + resource + " is missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses CSV text with the header of a domain ({@link #COLUMNS} or {@link #MASKED}'s); {@code name} is used in error messages. */
  public static PerformanceTable parse(String csv, String name) {
    String[] lines = csv.split("\r?\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      throw BadInputException.of(name, "empty", "a CSV table with the header " + String.join(",", COLUMNS));
    }
    List<String> header = Table.parseCsvLine(lines[0], name + " line 1");
    Domain domain = header.equals(MASKED.columns()) ? MASKED : DIFFUSION;
    List<String> columns = domain.columns();
    if (!header.equals(columns)) {
      List<String> unknown = header.stream().filter(h -> !COLUMNS.contains(h)).toList();
      throw BadInputException.of(name + " header", String.join(",", header),
          "the columns " + String.join(",", COLUMNS) + " or " + String.join(",", MASKED.columns()) + (unknown.isEmpty() ? "" : " (unknown: " + String.join(",", unknown) + ")"));
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      List<String> c = Table.parseCsvLine(lines[i], name + " line " + (i + 1));
      String where = name + " line " + (i + 1);
      if (c.size() != columns.size()) {
        throw BadInputException.of(where, lines[i], columns.size() + " cells (" + String.join(",", columns) + ")");
      }
      try {
        int p = domain.featureColumns().size();
        double[] v = new double[p];
        for (int j = 0; j < p; j++) {
          v[j] = number(where, domain.featureColumns().get(j), c.get(2 + j));
        }
        MetaFeatures f = domain.reader().apply(v);
        int k = 2 + p;
        rows.add(new Row(c.get(0), c.get(1), f, c.get(k), integer(where, "budget", c.get(k + 1)), integer(where, "steps", c.get(k + 2)),
            integer(where, "nfe", c.get(k + 3)), number(where, domain.errorColumn(), c.get(k + 4)), number(where, "seconds", c.get(k + 5))));
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
}
