package org.fewstep.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.registry.Options;
import org.fewstep.data.select.Example;
import org.fewstep.data.select.Examples;
import org.fewstep.data.select.Rs2;
import org.fewstep.data.select.Selectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep select}: a training subset (or RS2's per-round subsets) from a pool of examples. */
@Command(name = "select", mixinStandardHelpOptions = true,
    description = {"Selects --budget examples of a pool (JSON Lines: text, and optionally id, labels, quality; or",
        "Alpaca-style instruction/input/output) and writes them as JSON Lines in the order chosen. rs2 writes one line per",
        "round instead: {\"round\": k, \"ids\": [...]}. Methods: fewstep list selectors."})
final class SelectCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--method", required = true, description = "selector spec: rs2, mig, aoi, random, quality (with options, e.g. rs2:mode=with)")
  String method;

  @Option(names = "--data", required = true, description = "the pool: a .jsonl file, or 'fortunes' (the bundled fortune files)")
  String data;

  @Option(names = "--budget", required = true, description = "examples to select (rs2: per round)")
  int budget;

  @Option(names = "--rounds", defaultValue = "1", description = "rs2: rounds to write; default ${DEFAULT-VALUE}")
  int rounds;

  @Option(names = "--seed", defaultValue = "0", description = "seed; default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--out", required = true, description = "output JSON Lines file")
  Path out;

  @Override
  public Integer call() throws IOException {
    Options o = Selectors.registry().parse(method);
    BadInputException.requireAtLeast("--rounds", rounds, 1);
    List<Example> pool = Selectors.pool(data);
    if (budget < 1 || budget > pool.size()) {
      throw BadInputException.of("--budget", budget, "between 1 and the pool size " + pool.size());
    }
    var w = spec.commandLine().getOut();
    long start = System.nanoTime();
    if (o.component().equals("rs2")) {
      Rs2 rs2 = Selectors.rs2(o, pool, budget, seed);
      try (BufferedWriter writer = Files.newBufferedWriter(out)) {
        Rs2.Rounds it = rs2.rounds();
        for (int k = 0; k < rounds; k++) {
          ObjectNode line = Json.mapper().createObjectNode();
          line.put("round", k);
          var ids = line.putArray("ids");
          for (int i : it.next()) {
            ids.add(pool.get(i).id());
          }
          writer.write(Json.mapper().writeValueAsString(line));
          writer.newLine();
        }
      }
      w.printf(Locale.ROOT, "rs2 (%s): %d rounds of %d of %d examples -> %s%n", o.spec(), rounds, rs2.roundSize(), pool.size(), out);
      return 0;
    }
    if (rounds != 1) {
      throw BadInputException.of("--rounds", rounds, "1 (only rs2 selects per round)");
    }
    int[] chosen = Selectors.registry().create(method).select(pool, budget, seed);
    List<Example> selected = new ArrayList<>();
    Map<String, Integer> labels = new LinkedHashMap<>();
    for (int i : chosen) {
      selected.add(pool.get(i));
      pool.get(i).labels().forEach(l -> labels.merge(l, 1, Integer::sum));
    }
    Examples.write(out, selected);
    double quality = selected.stream().mapToDouble(Example::quality).average().orElse(0);
    w.printf(Locale.ROOT, "%s: %d of %d examples in %.1f s, mean quality %.4f, %d distinct labels -> %s%n", o.spec(),
        selected.size(), pool.size(), (System.nanoTime() - start) / 1e9, quality, labels.size(), out);
    return 0;
  }
}
