package org.fewstep.text.model;

import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.text.masked.LogLinearMaskedLm;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MdmTraining;
import org.fewstep.text.masked.TinyTransformerLm;

/**
 * The registered masked LMs: the exact masked models of HMMs ({@code hmm:FILE}, {@code motif-hmm},
 * {@code weather-hmm}), trained log-linear predictors ({@code loglinear:FILE}, and
 * {@code motif-loglinear}, trained on motif-hmm samples on first use) and the tiny transformer with
 * a key/value cache ({@code tiny-transformer}).
 */
public final class MaskedModels {
  private MaskedModels() {}

  private static final Registry<MaskedLm> REGISTRY = new Registry<MaskedLm>("masked model")
      .register(new Component<>("hmm",
          "exact masked model of an HMM from a JSON file (forward-backward conditionals)",
          "Rabiner 1989; discrete-and-data.md 0.3",
          List.of(Option.text("file", null, "the HMM's JSON file").asRequiredPositional()),
          o -> HiddenMarkovModel.load(Path.of(o.get("file"))).masked()))
      .register(new Component<>("motif-hmm",
          "built-in: the exact masked model of the four-state motif HMM over a-f (examples/motif-hmm.json)",
          "Rabiner 1989; discrete-and-data.md 0.3",
          List.of(),
          o -> motifHmm().masked()))
      .register(new Component<>("weather-hmm",
          "built-in: the exact masked model of the two-state weather HMM (examples/weather-hmm.json)",
          "Rabiner 1989",
          List.of(),
          o -> HiddenMarkovModel.fromJson(LanguageModels.example("weather-hmm.json"), "weather-hmm").masked()))
      .register(new Component<>("loglinear",
          "log-linear masked predictor from a file written by 'fewstep train masked'",
          "discrete-and-data.md 0.3; MDM loss of LLaDA / MDLM",
          List.of(Option.text("file", null, "the model's JSON file").asRequiredPositional()),
          o -> LogLinearMaskedLm.load(Path.of(o.get("file")))))
      .register(new Component<>("motif-loglinear",
          "built-in: a log-linear masked predictor (window 4, up to 256 positions) trained with the MDM loss on motif-hmm samples (about 2 s, on first use)",
          "discrete-and-data.md 0.3",
          List.of(),
          o -> motifLogLinear()))
      .register(new Component<>("tiny-transformer",
          "a 2-layer bidirectional transformer (d = 32, 2 heads, up to 256 positions) with random weights over motif-hmm's symbols and a block key/value cache",
          "Vaswani et al. 2017; Fast-dLLM (Wu et al. 2025) section 3.2",
          List.of(Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "weight seed")),
          o -> TinyTransformerLm.random(motifHmm().tokenizer(), o.getInt("seed"))));

  private static LogLinearMaskedLm motifLogLinear;

  private static HiddenMarkovModel motifHmm() {
    return HiddenMarkovModel.fromJson(LanguageModels.example("motif-hmm.json"), "motif-hmm");
  }

  /** motif-loglinear, trained once per JVM (seed 1, the default options at length 256). */
  private static synchronized LogLinearMaskedLm motifLogLinear() {
    if (motifLogLinear == null) {
      HmmMaskedLm exact = motifHmm().masked();
      motifLogLinear = MdmTraining.train(exact.tokenizer(), rng -> exact.sample(256, rng),
          MdmTraining.Options.defaults().length(256)).named("motif-loglinear");
    }
    return motifLogLinear;
  }

  /** The registry (for listings and the CLI). */
  public static Registry<MaskedLm> registry() {
    return REGISTRY;
  }

  /** Builds the masked model of {@code spec}, e.g. {@code motif-hmm} or {@code hmm:my.json}. */
  public static MaskedLm create(String spec) {
    return REGISTRY.create(spec);
  }
}
