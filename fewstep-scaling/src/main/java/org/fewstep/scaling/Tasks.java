package org.fewstep.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.scaling.task.ArithmeticTask;
import org.fewstep.scaling.task.HmmTask;

/**
 * The registry of task sets with honest verifiers, by spec ({@code arithmetic:problems=200}), and the
 * JSON task-set file: an array of arithmetic problems {@code [{"terms": [12, 7, 30], "error": 0.3}, ...]}.
 */
public final class Tasks {
  private static final Registry<List<Task>> REGISTRY = new Registry<List<Task>>("task")
      .register(new Component<>("arithmetic",
          "an exact arithmetic reasoner: one line per addition, each slipping with the problem's error rate;"
              + " correct iff the slips cancel; exact PRM by convolution",
          "decoding.md 11d and 12d (CPU reproductions of the test-time scaling papers)",
          List.of(Option.integer("problems", 200, 1, 1_000_000, "number of problems"),
              Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the problem set"),
              Option.real("min-error", 0.05, 0, 1, "the smallest error rate of a line"),
              Option.real("max-error", 0.6, 0, 1, "the largest error rate of a line (rates are uniform in between)")),
          o -> ArithmeticTask.problems(o.getInt("problems"), o.getInt("seed"), o.getDouble("min-error"),
              o.getDouble("max-error"))))
      .register(new Component<>("hmm",
          "random hidden Markov models writing 8-24 symbols, 4 a step; correct iff a symbol's count has the"
              + " required residue (a regular property); exact PRM by dynamic programming over (hidden state, DFA state)",
          "decoding.md 11d (CPU reproduction: HMM tasks where success is a regular property)",
          List.of(Option.integer("problems", 200, 1, 1_000_000, "number of problems"),
              Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the problem set")),
          o -> HmmTask.problems(o.getInt("problems"), o.getInt("seed"))));

  private static final Set<String> FIELDS = Set.of("terms", "error");

  private Tasks() {}

  public static Registry<List<Task>> registry() {
    return REGISTRY;
  }

  /** The task set of a spec, or of a {@code .json} task-set file. */
  public static List<Task> tasks(String specOrFile) {
    if (specOrFile.endsWith(".json")) {
      return read(Path.of(specOrFile));
    }
    return REGISTRY.create(specOrFile);
  }

  /** Reads a task-set file; errors name the file and the problem. */
  public static List<Task> read(Path file) {
    String name = file.toString();
    JsonNode root = Json.read(file);
    if (!root.isArray() || root.isEmpty()) {
      throw BadInputException.of(name, root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT),
          "a non-empty array of problems {\"terms\": [...], \"error\": e}");
    }
    List<Task> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String where = name + ": problem " + i;
      JsonNode p = root.get(i);
      Json.requireObject(p, where);
      Json.requireOnly(p, where, FIELDS);
      double[] terms = Json.numbers(Json.field(p, "terms", where), where + ": terms", -1);
      int[] ints = new int[terms.length];
      for (int j = 0; j < terms.length; j++) {
        if (terms[j] != Math.rint(terms[j]) || Math.abs(terms[j]) > 1e9) {
          throw BadInputException.of(where + ": terms[" + j + "]", terms[j], "an integer");
        }
        ints[j] = (int) terms[j];
      }
      try {
        out.add(new ArithmeticTask(ints, Json.number(Json.field(p, "error", where), where + ": error")));
      } catch (BadInputException e) {
        throw new BadInputException(where + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
