package org.fewstep.text.model;

import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.text.LanguageModel;

/** The registered language models: the embedded KJV n-grams and models read from files. */
public final class LanguageModels {
  private LanguageModels() {}

  private static final Registry<LanguageModel> REGISTRY = new Registry<LanguageModel>("language model")
      .register(new Component<>("kjv",
          "5-gram over cl100k trained on the King James Bible (built on first use, then cached), the default",
          "Chen and Goodman 1999, interpolated modified Kneser-Ney",
          List.of(),
          o -> Kjv.model(5, Discount.modified()).named("kjv")))
      .register(new Component<>("kjv-small",
          "2-gram over cl100k trained on the King James Bible: the natural draft model for kjv",
          "Chen and Goodman 1999, interpolated modified Kneser-Ney",
          List.of(),
          o -> Kjv.model(2, Discount.modified()).named("kjv-small")))
      .register(new Component<>("ngram",
          "n-gram model from a file written by 'fewstep train ngram' (docs/ngram-format.md)",
          "Chen and Goodman 1999",
          List.of(Option.text("file", null, "the model file").asRequiredPositional()),
          o -> NGramModel.load(Path.of(o.get("file"))).named("ngram:" + o.get("file"))))
      .register(new Component<>("hmm",
          "hidden Markov model from a JSON file (exact next-token probabilities by forward filtering)",
          "Rabiner 1989",
          List.of(Option.text("file", null, "the HMM's JSON file").asRequiredPositional()),
          o -> HiddenMarkovModel.load(Path.of(o.get("file")))))
      .register(new Component<>("pcfg",
          "probabilistic context-free grammar from a text file (docs/pcfg-format.md; exact prefix probabilities)",
          "Stolcke 1995, probabilistic Earley parsing",
          List.of(Option.text("file", null, "the grammar file").asRequiredPositional()),
          o -> Pcfg.load(Path.of(o.get("file")))))
      .register(new Component<>("weather-hmm",
          "built-in example: a two-state weather HMM over walk, shop, clean (examples/weather-hmm.json)",
          "Rabiner 1989",
          List.of(),
          o -> HiddenMarkovModel.fromJson(example("weather-hmm.json"), "weather-hmm")))
      .register(new Component<>("motif-hmm",
          "built-in example: a four-state HMM over a-f with strongly dependent neighbours, for masked decoding (examples/motif-hmm.json)",
          "Rabiner 1989",
          List.of(),
          o -> HiddenMarkovModel.fromJson(example("motif-hmm.json"), "motif-hmm")))
      .register(new Component<>("arith-pcfg",
          "built-in example: left-recursive arithmetic expressions over 1-4 (examples/arith.pcfg)",
          "Stolcke 1995",
          List.of(),
          o -> Pcfg.parse(example("arith.pcfg"))));

  /** The text of a bundled example file. */
  static String example(String file) {
    try (var in = LanguageModels.class.getResourceAsStream("examples/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("the bundled example " + file + " cannot be read", e);
    }
  }

  /** The registry (for listings and the CLI). */
  public static Registry<LanguageModel> registry() {
    return REGISTRY;
  }

  /** Builds the model of {@code spec}, e.g. {@code kjv} or {@code ngram:my.ngram.gz}. */
  public static LanguageModel create(String spec) {
    return REGISTRY.create(spec);
  }
}
