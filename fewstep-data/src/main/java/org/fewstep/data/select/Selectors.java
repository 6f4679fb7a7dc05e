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
import org.fewstep.data.corpus.Fortunes;
import org.fewstep.data.embed.Embedder;
import org.fewstep.data.embed.Embedders;
import org.fewstep.text.model.LanguageModels;

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
          "discrete-and-data.md 7 (the pure-quality baseline)", List.of(), o -> Selectors::topQuality))
      .register(new Component<>("mig", "MIG: greedy information gain over a label graph of the examples' labels",
          "discrete-and-data.md 7 (Chen et al., ACL Findings 2025)", List.of(
              Option.choice("phi", "pow", "the concave information per label: pow (x + a)^b or exp 1 - e^(-alpha x)", "pow", "exp"),
              Option.real("a", 1e-6, Double.MIN_VALUE, Double.POSITIVE_INFINITY, "pow: the offset a"),
              Option.real("b", 0.8, Double.MIN_VALUE, 1, "pow: the exponent b (1: no diminishing returns)"),
              Option.real("alpha", 1.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY, "exp: the rate alpha"),
              Option.flag("norm", false, "spread an example's quality over its labels (q / |T|)"),
              Option.choice("greedy", "first-order", "first-order (the reference: gradient score) or exact (marginal gain)",
                  "first-order", "exact"),
              Option.choice("graph", "embeddings", "edges between labels: embeddings (all-MiniLM-L6-v2 cosine) or identity (none)",
                  "embeddings", "identity"),
              Option.real("threshold", LabelGraph.DEFAULT_SIM_THRESHOLD, -1, 1, "embeddings: the least cosine of an edge"),
              Option.real("prop-weight", LabelGraph.DEFAULT_PROP_WEIGHT, 0, Double.POSITIVE_INFINITY, "the weight of off-diagonal edges"),
              Option.integer("tags", 0, 0, 20, "add to each example's labels the K nearest of the bundled topic tags"
                  + " (EmbeddingTagger, an embedding stand-in for InsTag)")),
          Selectors::mig))
      .register(new Component<>("aoi", "Add-One-In: a chooser picks the best of a window of candidates for a window of the selection",
          "discrete-and-data.md 8 (Li et al., EMNLP 2025)", List.of(
              Option.choice("chooser", "embedding", "embedding (quality x novelty, all-MiniLM-L6-v2) or lm (a language model)",
                  "embedding", "lm"),
              Option.text("model", "kjv", "lm: the language model spec (fewstep list language-models)"),
              Option.choice("mode", "score", "lm: score (the most likely answer [[A]]..[[J]]) or generate (greedy reply, parsed)",
                  "score", "generate"),
              Option.integer("a-ws", AddOneIn.Settings.DEFAULT_WINDOW, 1, Integer.MAX_VALUE, "selected examples shown (and the seed set)"),
              Option.integer("b-ws", AddOneIn.Settings.DEFAULT_WINDOW, 1, CandidateLabel.MAX_CANDIDATES, "candidates shown")),
          Selectors::aoi));

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

  /** The pool {@code source} names: {@code fortunes} (the bundled fortune files) or a JSON Lines file ({@link Examples#read}). */
  public static List<Example> pool(String source) {
    return source.equals("fortunes") ? Fortunes.load() : Examples.read(Path.of(source));
  }

  private static Selector mig(Options o) {
    Mig.Settings d = Mig.Settings.defaults();
    Mig.Settings settings = (o.get("phi").equals("exp") ? d.withExp(o.getDouble("alpha")) : d.withPow(o.getDouble("a"), o.getDouble("b")))
        .withNorm(o.getBool("norm"))
        .withGreedy(o.get("greedy").equals("exact") ? Mig.Greedy.EXACT : Mig.Greedy.FIRST_ORDER);
    return (given, budget, seed) -> {
      List<Example> pool = given;
      if (o.getInt("tags") > 0) {
        Embedder embedder = Embedders.standard();
        double[][] embeddings = embedder.embed(pool.stream().map(Example::text).toList());
        pool = EmbeddingTagger.create(EmbeddingTagger.topics(), embedder, o.getInt("tags")).tag(pool, embeddings);
      }
      List<String> labels = LabelGraph.labelsOf(pool);
      LabelGraph graph = o.get("graph").equals("identity") ? LabelGraph.identity(labels)
          : LabelGraph.fromEmbeddings(labels, Embedders.standard(), o.getDouble("threshold"), o.getDouble("prop-weight"));
      return Mig.create(graph, settings).select(pool, budget).order();
    };
  }

  private static Selector aoi(Options o) {
    return (pool, budget, seed) -> {
      Chooser chooser = o.get("chooser").equals("lm")
          ? (o.get("mode").equals("generate") ? LmChooser.generate(LanguageModels.create(o.get("model")))
              : LmChooser.score(LanguageModels.create(o.get("model"))))
          : new EmbeddingChooser(Embedders.standard());
      AddOneIn.Settings settings = AddOneIn.Settings.defaults(seed).withWindows(o.getInt("a-ws"), o.getInt("b-ws"));
      List<String> ids = AddOneIn.select(pool, budget, chooser, settings).selected();
      java.util.Map<String, Integer> index = new java.util.HashMap<>();
      for (int i = 0; i < pool.size(); i++) {
        index.put(pool.get(i).id(), i);
      }
      return ids.stream().mapToInt(index::get).toArray();
    };
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
