package org.fewstep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.fewstep.text.token.Tokenizers;

/**
 * The JSON Schema mask experiment behind {@code fewstep bench masks}: for each schema of a directory,
 * the compile time (schema to grammar to token constraint, caches fresh) and the time of every token
 * mask along the token streams of its valid instances (members in schema order, written under the
 * white space policy, tokenized by the vocabulary's BPE), end position included. A first pass over
 * every schema warms the JIT; the measured pass then builds fresh constraints, so masks are cold
 * exactly as for a user's first request, and only the vocabulary's token trie is shared.
 */
public final class MaskBenchmark {
  private MaskBenchmark() {}

  /** One schema: compile time, tokens masked and their mask times in microseconds. */
  public record SchemaResult(String schema, double compileMs, int instances, double[] maskUs) {
    double mean() {
      return Arrays.stream(maskUs).average().orElse(Double.NaN);
    }

    double max() {
      return Arrays.stream(maskUs).max().orElse(Double.NaN);
    }
  }

  /** Every schema's result. */
  public record Result(String vocabulary, String whitespace, List<SchemaResult> schemas) {
    /** All mask times, microseconds. */
    public double[] maskUs() {
      return schemas.stream().flatMapToDouble(s -> Arrays.stream(s.maskUs())).toArray();
    }

    public double[] compileMs() {
      return schemas.stream().mapToDouble(SchemaResult::compileMs).toArray();
    }
  }

  /**
   * Runs the experiment.
   *
   * @param vocabulary a BPE vocabulary name ({@code o200k}, {@code cl100k}, {@code r50k}, ...)
   * @param schemas    a directory of {@code *.json} schemas
   * @param instances  a directory holding, for each schema, a file of the same name with
   *                   {@code {"valid": [...]}}
   * @param whitespace {@code compact}, {@code flexible} or a regular expression
   */
  public static Result run(String vocabulary, Path schemas, Path instances, String whitespace) {
    Tokenizer tokenizer = Tokenizers.bpe(vocabulary);
    if (!Files.isDirectory(schemas)) {
      throw BadInputException.of("--schemas", schemas, "a directory of JSON Schema files (*.json)");
    }
    if (!Files.isDirectory(instances)) {
      throw BadInputException.of("--instances", instances, "a directory of instance files named like the schemas");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(schemas)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw BadInputException.of("--schemas", schemas, "a directory with at least one *.json schema");
    }
    Constraints.prepare(tokenizer.vocabulary()); // the vocabulary's shared tables, outside the timings
    for (Path f : files) {
      measure(f, instances, tokenizer, whitespace); // JIT warm-up
    }
    List<SchemaResult> out = new ArrayList<>();
    for (Path f : files) {
      out.add(measure(f, instances, tokenizer, whitespace));
    }
    return new Result(vocabulary, whitespace, out);
  }

  private static SchemaResult measure(Path schemaFile, Path instances, Tokenizer tokenizer, String whitespace) {
    ObjectMapper json = new ObjectMapper();
    String name = schemaFile.getFileName().toString();
    Path instanceFile = instances.resolve(name);
    JsonNode schema;
    JsonNode valid;
    try {
      schema = json.readTree(schemaFile.toFile());
      if (!Files.isRegularFile(instanceFile)) {
        throw BadInputException.of("instances of " + name, instanceFile, "a file {\"valid\": [...]} next to the schemas");
      }
      valid = json.readTree(instanceFile.toFile()).path("valid");
    } catch (IOException e) {
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    Grammar g = JsonSchema.read(schemaFile, JsonSchema.whitespace(whitespace));
    TokenConstraint c = Constraints.grammar(g, tokenizer.vocabulary());
    double compileMs = (System.nanoTime() - t0) / 1e6;
    boolean pretty = !whitespace.equals("compact");
    List<Double> times = new ArrayList<>();
    long[] mask = new long[(tokenizer.vocabulary().size() + 63) >>> 6];
    int count = 0;
    for (JsonNode v : valid) {
      JsonNode ordered = SchemaOrder.of(schema, v);
      String text;
      try {
        text = pretty ? json.writerWithDefaultPrettyPrinter().writeValueAsString(ordered) : json.writeValueAsString(ordered);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int[] ids = tokenizer.encode(text);
      ConstraintState s = c.start();
      for (int i = 0; i <= ids.length; i++) {
        long a = System.nanoTime();
        s.mask(mask);
        times.add((System.nanoTime() - a) / 1e3);
        int t = i < ids.length ? ids[i] : tokenizer.vocabulary().eos();
        if ((mask[t >>> 6] >>> t & 1) == 0) {
          throw new IllegalStateException(name + ": the mask refuses token " + i + " ('"
              + (i < ids.length ? tokenizer.vocabulary().text(t) : "end") + "') of a valid instance: " + text);
        }
        if (i < ids.length) {
          s = s.advance(t);
        }
      }
      count++;
    }
    return new SchemaResult(name, compileMs, count, times.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** AWRS on one schema: tokens drawn, constraint evaluations, and the full-mask cost (the vocabulary size). */
  public record AwrsResult(String schema, long tokens, long evaluations, int vocabulary, int finished, int samples) {
    public double perToken() {
      return evaluations / (double) Math.max(1, tokens);
    }
  }

  /**
   * AWRS ({@code --constrained awrs}) on every schema with {@code model}: constraint evaluations per
   * token against a full mask's |V| evaluations.
   */
  public static List<AwrsResult> awrs(org.fewstep.text.LanguageModel model, Path schemas, String whitespace, int samples,
      int maxTokens, long seed) {
    List<AwrsResult> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(schemas)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        TokenConstraint c = Constraints.jsonSchema(f, whitespace, model.vocabulary());
        org.fewstep.constrain.sample.AwrsDecoder d = new org.fewstep.constrain.sample.AwrsDecoder(c);
        List<org.fewstep.text.generate.Completion> done = org.fewstep.text.generate.Generation.of(model).decoder(d)
            .maxTokens(maxTokens).samples(samples).seed(seed).run();
        int finished = (int) done.stream().filter(x -> x.finish() == org.fewstep.text.generate.Completion.Finish.EOS).count();
        out.add(new AwrsResult(f.getFileName().toString(), d.tokens(), d.evaluations(), model.vocabulary().size(), finished,
            samples));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** AWRS totals and the schemas with the most evaluations per token. */
  public static Table awrsTable(List<AwrsResult> results, String model) {
    long tokens = results.stream().mapToLong(AwrsResult::tokens).sum();
    long evaluations = results.stream().mapToLong(AwrsResult::evaluations).sum();
    int v = results.isEmpty() ? 0 : results.get(0).vocabulary();
    Table t = new Table("model", "schemas", "tokens", "evaluations / token", "full mask (|V|)", "fraction of |V|",
        "finished samples").doubleFormat("%.4g");
    t.add(model, results.size(), tokens, evaluations / (double) Math.max(1, tokens), v,
        evaluations / (double) Math.max(1, tokens) / v,
        results.stream().mapToInt(AwrsResult::finished).sum() + " of " + results.stream().mapToInt(AwrsResult::samples).sum());
    return t;
  }

  /** The q-quantile of {@code values} (nearest rank). */
  static double quantile(double[] values, double q) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length == 0 ? Double.NaN : v[Math.max(0, (int) Math.ceil(q * v.length) - 1)];
  }

  /** The summary: per-token mask mean, p50, p99, max (us) and compile mean, max (ms). */
  public static Table summary(Result r) {
    double[] m = r.maskUs();
    double[] c = r.compileMs();
    Table t = new Table("vocabulary", "white space", "schemas", "tokens", "mask mean (us)", "p50 (us)", "p99 (us)",
        "max (us)", "compile mean (ms)", "compile max (ms)").doubleFormat("%.1f");
    t.add(r.vocabulary(), r.whitespace(), r.schemas().size(), m.length, Arrays.stream(m).average().orElse(Double.NaN),
        quantile(m, 0.5), quantile(m, 0.99), Arrays.stream(m).max().orElse(Double.NaN),
        Arrays.stream(c).average().orElse(Double.NaN), Arrays.stream(c).max().orElse(Double.NaN));
    return t;
  }

  /** One row per schema. */
  public static Table perSchema(Result r) {
    Table t = new Table("schema", "instances", "tokens", "compile (ms)", "mask mean (us)", "p99 (us)", "max (us)")
        .doubleFormat("%.1f");
    for (SchemaResult s : r.schemas()) {
      t.add(s.schema(), s.instances(), s.maskUs().length, s.compileMs(), s.mean(), quantile(s.maskUs(), 0.99), s.max());
    }
    return t;
  }

  /** The {@code n} schemas with the largest mean mask time. */
  public static Table slowest(Result r, int n) {
    List<SchemaResult> sorted = new ArrayList<>(r.schemas());
    sorted.sort((a, b) -> Double.compare(b.mean(), a.mean()));
    return perSchema(new Result(r.vocabulary(), r.whitespace(), sorted.subList(0, Math.min(n, sorted.size()))));
  }
}
