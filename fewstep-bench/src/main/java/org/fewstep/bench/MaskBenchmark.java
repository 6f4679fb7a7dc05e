package org.fewstep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.Constraints;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.constrain.grammar.Grammar;
import org.fewstep.constrain.schema.JsonSchema;
import org.fewstep.constrain.schema.SchemaOrder;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Table;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;

/**
 * The token-mask experiment behind {@code fewstep bench masks}: for each JSON Schema of a directory,
 * the time to compile it into a constraint over a real vocabulary, then the time of
 * {@link ConstraintState#mask} at every position of the token stream of each valid instance (members
 * in schema order, {@link SchemaOrder}; written compact or pretty-printed by the white space policy;
 * tokenized by the vocabulary's BPE tokenizer), the end position included. One untimed pass over all
 * schemas warms the JIT; the timed pass then builds every constraint afresh, so its caches start cold
 * as a user's would ("cold"); the same token streams are then timed again on the used constraints
 * ("warm"), and the timed pass may be repeated with fresh constraints again. Only the vocabulary's tables (its token trie and the like) are shared across schemas.
 */
public final class MaskBenchmark {
  private MaskBenchmark() {}

  /** The vocabularies measured. */
  public static final List<String> VOCABULARIES = List.of("o200k", "cl100k");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One schema's figures; times per mask in microseconds, compile in milliseconds. */
  public record SchemaResult(String schema, int instances, int tokens, double compileMs, double meanUs, double p50Us,
      double p99Us, double maxUs, double warmMeanUs) {}

  /** All schemas' figures; {@code masks} counts timed masks over all repeats. */
  public record Result(String vocabulary, String whitespace, double vocabularyMs, List<SchemaResult> schemas,
      long masks, double meanUs, double p50Us, double p99Us, double maxUs, double warmMeanUs, double warmP99Us,
      double compileMeanMs, double compileMaxMs, List<String> failures) {}

  /** Per-call mask times of one pass. */
  private static final class Times {
    long[] ns = new long[1024];
    int n;

    void add(long t) {
      if (n == ns.length) {
        ns = Arrays.copyOf(ns, 2 * n);
      }
      ns[n++] = t;
    }

    long[] sorted() {
      long[] s = Arrays.copyOf(ns, n);
      Arrays.sort(s);
      return s;
    }

    static double us(long ns) {
      return ns / 1e3;
    }

    static double mean(long[] s) {
      double total = 0;
      for (long x : s) {
        total += x;
      }
      return s.length == 0 ? Double.NaN : total / s.length / 1e3;
    }

    static double quantile(long[] sorted, double q) {
      return sorted.length == 0 ? Double.NaN : us(sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)]);
    }
  }

  /** A schema file with the token streams of its valid instances. */
  private record Case(Path schema, List<int[]> streams) {}

  /**
   * Runs the experiment.
   *
   * @param vocabulary o200k or cl100k
   * @param schemas    a directory of JSON Schema files ({@code *.json})
   * @param instances  a directory holding, for each schema, a file of the same name with
   *                   {@code {"valid": [...]}}; null for {@code schemas/instances}
   * @param whitespace compact or flexible
   * @param repeats    timed passes (each with fresh constraints); their figures are pooled
   */
  public static Result run(String vocabulary, Path schemas, Path instances, String whitespace, int repeats) {
    if (repeats < 1) {
      throw BadInputException.of("--repeat", repeats, "at least 1");
    }
    if (!VOCABULARIES.contains(vocabulary)) {
      throw BadInputException.of("--vocab", vocabulary, "one of " + String.join(", ", VOCABULARIES));
    }
    if (!whitespace.equals("compact") && !whitespace.equals("flexible")) {
      throw BadInputException.of("--whitespace", whitespace, "compact or flexible");
    }
    if (!Files.isDirectory(schemas)) {
      throw BadInputException.of("--schemas", schemas, "a directory of JSON Schema files");
    }
    Path inst = instances != null ? instances : schemas.resolve("instances");
    if (!Files.isDirectory(inst)) {
      throw BadInputException.of("--instances", inst, "a directory of instance files named as the schemas");
    }
    Tokenizer tokenizer = Tokenizers.bpe(vocabulary);
    Vocabulary v = tokenizer.vocabulary();
    long t0 = System.nanoTime();
    Constraints.prepare(v);
    double vocabularyMs = (System.nanoTime() - t0) / 1e6;
    String ws = JsonSchema.whitespace(whitespace);
    List<Case> cases = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Path p : files(schemas)) {
      Path file = inst.resolve(p.getFileName());
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        JsonNode schema = JSON.readTree(p.toFile());
        List<int[]> streams = new ArrayList<>();
        for (JsonNode value : JSON.readTree(file.toFile()).path("valid")) {
          JsonNode ordered = SchemaOrder.reorder(schema, value);
          String text = whitespace.equals("compact") ? JSON.writeValueAsString(ordered)
              : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ordered);
          streams.add(tokenizer.encode(text));
        }
        cases.add(new Case(p, streams));
      } catch (IOException e) {
        failures.add(p.getFileName() + ": " + e.getMessage());
      }
    }
    if (cases.isEmpty()) {
      throw BadInputException.of("--schemas", schemas, "JSON Schema files with instance files in " + inst);
    }
    long[] words = new long[(v.size() + 63) >>> 6];
    for (Case c : cases) { // warm-up: the JIT only
      try {
        TokenConstraint constraint = Constraints.grammar(JsonSchema.read(c.schema(), ws), v);
        for (int[] ids : c.streams()) {
          walk(constraint, ids, words, new Times());
        }
      } catch (RuntimeException e) {
        // reported by the timed pass
      }
    }
    List<SchemaResult> rows = new ArrayList<>();
    Times all = new Times();
    Times warmAll = new Times();
    double compileTotal = 0;
    int compiles = 0;
    double compileMax = 0;
    Times[] times = new Times[cases.size()];
    Times[] warm = new Times[cases.size()];
    double[] compileSum = new double[cases.size()];
    boolean[] compiled = new boolean[cases.size()];
    for (int r = 0; r < repeats; r++) {
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        String name = c.schema().getFileName().toString();
        long start = System.nanoTime();
        TokenConstraint constraint;
        try {
          Grammar g = JsonSchema.read(c.schema(), ws);
          constraint = Constraints.grammar(g, v);
        } catch (RuntimeException e) {
          if (r == 0) {
            failures.add(name + ": compile: " + e.getMessage());
          }
          continue;
        }
        double compileMs = (System.nanoTime() - start) / 1e6;
        compiled[i] = true;
        compileSum[i] += compileMs;
        compileTotal += compileMs;
        compiles++;
        compileMax = Math.max(compileMax, compileMs);
        times[i] = times[i] == null ? new Times() : times[i];
        warm[i] = warm[i] == null ? new Times() : warm[i];
        for (int[] ids : c.streams()) {
          String failure = walk(constraint, ids, words, times[i]);
          if (failure != null && r == 0) {
            failures.add(name + ": " + failure);
          }
        }
        for (int[] ids : c.streams()) {
          walk(constraint, ids, words, warm[i]);
        }
      }
    }
    for (int i = 0; i < cases.size(); i++) {
      if (!compiled[i]) {
        continue;
      }
      Case c = cases.get(i);
      for (int k = 0; k < times[i].n; k++) {
        all.add(times[i].ns[k]);
      }
      for (int k = 0; k < warm[i].n; k++) {
        warmAll.add(warm[i].ns[k]);
      }
      int tokens = c.streams().stream().mapToInt(ids -> ids.length).sum();
      long[] s = times[i].sorted();
      rows.add(new SchemaResult(c.schema().getFileName().toString(), c.streams().size(), tokens,
          compileSum[i] / repeats, Times.mean(s), Times.quantile(s, 0.5), Times.quantile(s, 0.99),
          s.length == 0 ? Double.NaN : Times.us(s[s.length - 1]), Times.mean(warm[i].sorted())));
    }
    long[] s = all.sorted();
    long[] w = warmAll.sorted();
    return new Result(vocabulary, whitespace, vocabularyMs, rows, s.length, Times.mean(s), Times.quantile(s, 0.5),
        Times.quantile(s, 0.99), s.length == 0 ? Double.NaN : Times.us(s[s.length - 1]), Times.mean(w),
        Times.quantile(w, 0.99), compiles == 0 ? Double.NaN : compileTotal / compiles, compileMax, failures);
  }

  /**
   * Times the mask at every position of {@code ids} and at the end; returns what went wrong (a token
   * of the instance not in its mask, or no end), or null.
   */
  private static String walk(TokenConstraint constraint, int[] ids, long[] words, Times times) {
    ConstraintState state = constraint.start();
    Vocabulary v = constraint.vocabulary();
    for (int i = 0; i <= ids.length; i++) {
      long t = System.nanoTime();
      state.mask(words);
      times.add(System.nanoTime() - t);
      int token = i < ids.length ? ids[i] : v.eos();
      if (token < 0) {
        return state.canEnd() ? null : "the instance does not end the text";
      }
      if ((words[token >>> 6] >>> token & 1) == 0) {
        return "token " + i + " ('" + v.text(token) + "') is not in the mask";
      }
      if (i < ids.length) {
        state = state.advance(token);
      }
    }
    return null;
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
          .sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The overall figures, one row. */
  public static Table summary(Result r) {
    Table t = new Table("vocab", "whitespace", "schemas", "masks", "mean µs", "p50 µs", "p99 µs", "max µs",
        "warm mean µs", "warm p99 µs", "compile mean ms", "compile max ms", "vocab tables ms");
    t.doubleFormat("%.1f");
    t.add(r.vocabulary(), r.whitespace(), r.schemas().size(), r.masks(), r.meanUs(), r.p50Us(), r.p99Us(), r.maxUs(),
        r.warmMeanUs(), r.warmP99Us(), r.compileMeanMs(), r.compileMaxMs(), r.vocabularyMs());
    return t;
  }

  /** Per-schema rows, the {@code top} slowest by mean mask time first ({@code top} <= 0: all, in file order). */
  public static Table schemas(Result r, int top) {
    List<SchemaResult> rows = r.schemas();
    if (top > 0) {
      rows = rows.stream().sorted(Comparator.comparingDouble(SchemaResult::meanUs).reversed()).limit(top).toList();
    }
    Table t = new Table("schema", "instances", "tokens", "compile ms", "mean µs", "p50 µs", "p99 µs", "max µs",
        "warm mean µs");
    t.doubleFormat("%.1f");
    for (SchemaResult s : rows) {
      t.add(s.schema(), s.instances(), s.tokens(), s.compileMs(), s.meanUs(), s.p50Us(), s.p99Us(), s.maxUs(),
          s.warmMeanUs());
    }
    return t;
  }
}
