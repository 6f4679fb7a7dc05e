package org.fewstep.data.select;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Registry;

/** The registry of subset selectors ({@code fewstep select --method}, {@code fewstep list selectors}). */
public final class Selectors {
  private static final Registry<Selector> REGISTRY = new Registry<Selector>("selector")
      .register(new Component<>("rs2", "RS2: a fresh random subset every round (round 0 as a single subset)",
          "discrete-and-data.md 6", List.of(
              Option.choice("mode", "without", "without: passes are permutations; with: independent rounds; static: one subset",
                  "without", "with", "static"),
              Option.flag("balance", false, "split each round over the classes (first label) in proportion to their sizes")),
          o -> (pool, budget, seed) -> rs2(o, pool, budget, seed).round(0)))
      .register(new Component<>("random", "a uniformly random subset", "discrete-and-data.md 6", List.of(),
          o -> (pool, budget, seed) -> Rs2.ofRoundSize(pool.size(), budget, Rs2.Mode.STATIC, seed).round(0)))
      .register(new Component<>("quality", "the highest quality scores (ties: earlier example first)",
          "discrete-and-data.md 7 (the pure-quality baseline)", List.of(), o -> Selectors::topQuality));

  private Selectors() {}

  public static Registry<Selector> registry() {
    return REGISTRY;
  }

  /** The RS2 sampler a {@code rs2} spec describes, over {@code pool} with {@code roundSize} examples per round. */
  public static Rs2 rs2(Options o, List<Example> pool, int roundSize, long seed) {
    Rs2.Mode mode = switch (o.get("mode")) {
      case "with" -> Rs2.Mode.WITH_REPLACEMENT;
      case "static" -> Rs2.Mode.STATIC;
      default -> Rs2.Mode.WITHOUT_REPLACEMENT;
    };
    int n = pool.size();
    if (!o.getBool("balance")) {
      return Rs2.ofRoundSize(n, roundSize, mode, seed);
    }
    List<String> names = new ArrayList<>();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      List<String> l = pool.get(i).labels();
      if (l.isEmpty()) {
        throw BadInputException.of("labels of " + pool.get(i).id(), "[]", "a class label (rs2:balance=true needs one per example)");
      }
      int c = names.indexOf(l.get(0));
      if (c < 0) {
        c = names.size();
        names.add(l.get(0));
      }
      labels[i] = c;
    }
    return Rs2.balanced(n, labels, new Rs2.Settings((double) roundSize / n, mode, seed));
  }

  /** The pool {@code source} names: a JSON Lines file ({@link Examples#read}). */
  public static List<Example> pool(String source) {
    return Examples.read(Path.of(source));
  }

  static int[] topQuality(List<Example> pool, int budget, long seed) {
    if (budget < 1 || budget > pool.size()) {
      throw BadInputException.of("budget", budget, "between 1 and the pool size " + pool.size());
    }
    return IntStream.range(0, pool.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -pool.get(i).quality()).thenComparingInt(i -> i))
        .limit(budget).mapToInt(Integer::intValue).toArray();
  }
}
