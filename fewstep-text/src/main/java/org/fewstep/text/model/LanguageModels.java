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
          o -> NGramModel.load(Path.of(o.get("file"))).named("ngram:" + o.get("file"))));

  /** The registry (for listings and the CLI). */
  public static Registry<LanguageModel> registry() {
    return REGISTRY;
  }

  /** Builds the model of {@code spec}, e.g. {@code kjv} or {@code ngram:my.ngram.gz}. */
  public static LanguageModel create(String spec) {
    return REGISTRY.create(spec);
  }
}
