package org.fewstep.text.generate;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.text.sample.AnnealedTemperature;
import org.fewstep.text.sample.Sampling;
import org.fewstep.text.sample.TokenProcessor;

/** The registered decoders: {@code sample}, {@code greedy}, {@code ead} and {@code cntp}. */
public final class Decoders {
  private Decoders() {}

  private static final Registry<Decoder> REGISTRY = new Registry<Decoder>("decoder")
      .register(new Component<>("sample",
          "sampling chain: logit bias, penalties, top-k, typical-p, top-p, min-p, temperature, mirostat 2",
          "llama.cpp sampling; Holtzman et al. 2020; Meister et al. 2023; Nguyen et al. 2024; Basu et al. 2021",
          Sampling.OPTIONS,
          o -> new ChainDecoder(o.spec(), Sampling.from(o), null)))
      .register(new Component<>("greedy", "the most likely token at every step (temperature 0)", "-",
          List.of(),
          o -> new ChainDecoder(o.spec(), Sampling.ANCESTRAL.withTemperature(0), null)))
      .register(new Component<>("ead",
          "exploratory annealed decoding: temperature max(1 + tau-max - exp(t / (20 d)), tau-min) after warmup",
          "Yang et al. 2025, Let it Calm (decoding.md 9); official EAD-RLVR negexp mode",
          with(temperatureFirst(withoutTemperature()),
              Option.real("tau-max", 1.2, 0, Double.POSITIVE_INFINITY, "exploration temperature excess"),
              Option.real("tau-min", 0.1, 0, Double.POSITIVE_INFINITY, "temperature floor"),
              Option.integer("decay", 25, 1, Integer.MAX_VALUE, "decay frequency d_0"),
              Option.integer("increase", 5, 0, Integer.MAX_VALUE, "d grows by this per RL step"),
              Option.integer("step", 0, 0, Integer.MAX_VALUE, "RL step s (0 for inference)"),
              Option.integer("warmup", 10, 0, Integer.MAX_VALUE, "first positions at temperature 1")),
          o -> {
            Sampling s = Sampling.from(o);
            return new ChainDecoder(o.spec(), s, () -> annealed(o.getDouble("tau-max"), o.getDouble("tau-min"),
                o.getInt("decay"), o.getInt("increase"), o.getInt("step"), o.getInt("warmup")));
          }))
      .register(new Component<>("cntp",
          "cautious next token prediction: entropy-triggered trials to the next punctuation, lowest perplexity wins",
          "Wang et al. 2025, Cautious Next Token Prediction (decoding.md 8)",
          with(temperatureFirst(Sampling.OPTIONS),
              Option.integer("n-max", 10, 1, 1000, "most trials (at entropy >= h-high)"),
              Option.real("h-low", 0.01, 0, Double.POSITIVE_INFINITY, "entropy (nats) below which one trial runs"),
              Option.real("h-high", 1.5, 0, Double.POSITIVE_INFINITY, "entropy (nats) at which n-max trials run"),
              Option.integer("max-trial-tokens", 0, 0, Integer.MAX_VALUE, "cap on a trial's length; 0 = none")),
          o -> new CautiousDecoder(o.spec(), Sampling.from(o), o.getInt("n-max"), o.getDouble("h-low"),
              o.getDouble("h-high"), o.getInt("max-trial-tokens"))));

  /** The registry (for listings and the CLI). */
  public static Registry<Decoder> registry() {
    return REGISTRY;
  }

  /** Builds a decoder from a spec such as {@code sample:top-p=0.9,temperature=0.7}. */
  public static Decoder create(String spec) {
    return REGISTRY.create(spec);
  }

  static TokenProcessor annealed(double tauMax, double tauMin, int decay, int increase, int step, int warmup) {
    return new AnnealedTemperature(tauMax, tauMin, decay, increase, step, warmup);
  }

  private static List<Option> withoutTemperature() {
    List<Option> out = new ArrayList<>();
    for (Option o : Sampling.OPTIONS) {
      if (!o.key().equals("temperature")) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The chain options with temperature-first on by default: the official EAD code anneals in a vLLM
   * logits processor and the official CNTP code uses transformers' warpers, both before truncating.
   */
  private static List<Option> temperatureFirst(List<Option> base) {
    List<Option> out = new ArrayList<>();
    for (Option o : base) {
      out.add(o.key().equals("temperature-first")
          ? Option.flag("temperature-first", true, o.help() + "; on by default here, as in the official code")
          : o);
    }
    return out;
  }

  private static List<Option> with(List<Option> base, Option... more) {
    List<Option> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }
}
