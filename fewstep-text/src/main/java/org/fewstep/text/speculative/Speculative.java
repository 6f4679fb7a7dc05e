package org.fewstep.text.speculative;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Spec;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.sample.Sampling;

/**
 * Speculative decoding from two specs: the sampler ({@code sample:...} or {@code greedy}) that both
 * models run, and the speculation, e.g. {@code draft=kjv-small,k=4,method=spectr,drafts=4} or
 * {@code draft=prompt-lookup,k=8}.
 */
public final class Speculative {
  private Speculative() {}

  /** The most draft tokens in one round's tree. */
  public static final int MAX_NODES = 128;

  /** The options of a speculation spec. */
  public static final Component<Options> COMPONENT = new Component<>("speculative",
      "speculative decoding: a draft proposes, the target verifies k + 1 positions in one call",
      "Leviathan et al. 2023; Chen et al. 2023; Sun et al. 2023 (SpecTr); Hu et al. 2025 (multi-draft)",
      List.of(
          Option.text("draft", null, "draft model spec (e.g. kjv-small), or prompt-lookup"),
          Option.integer("k", 4, 1, 32, "draft tokens per round (the starting length with schedule=heuristic)"),
          Option.choice("method", "standard", "the verifier", "standard", "spectr", "rrs", "rrs-wor", "greedy-md"),
          Option.integer("drafts", 1, 1, 16, "K drafts per round (1 for standard and prompt-lookup); K k <= 128"),
          Option.choice("schedule", "constant", "draft length: constant, or heuristic (+2 after a fully accepted "
              + "round, else -1, within [1, 2k])", "constant", "heuristic"),
          Option.integer("lookup-max", 3, 1, 64, "prompt-lookup: longest suffix to match"),
          Option.integer("lookup-min", 1, 1, 64, "prompt-lookup: shortest suffix to match"),
          Option.flag("optimum", false, "track the optimal acceptance of every verified position (slower)")),
      o -> o);

  /**
   * The decoder that speculates by {@code speculation} and samples by {@code sampler} (a
   * {@code sample:} spec or {@code greedy}).
   */
  public static SpeculativeDecoder decoder(String sampler, String speculation) {
    return decoder(sampler, speculation, null);
  }

  /**
   * The same with a draft model given as an object ({@code draft}; the spec then names none), e.g. a
   * model of your own over the target's vocabulary.
   */
  public static SpeculativeDecoder decoder(String sampler, String speculation, LanguageModel draft) {
    Spec s = Spec.parse(sampler);
    if (!s.name().equals("sample") && !s.name().equals("greedy")) {
      throw BadInputException.of("sampler", sampler, "a sample:... or greedy spec (speculative decoding verifies "
          + "against the processed target distribution; " + s.name() + " is not one)");
    }
    Sampling sampling = s.name().equals("greedy") ? Sampling.ANCESTRAL.withTemperature(0)
        : Sampling.from(Decoders.registry().component("sample").parse(s));
    String text = speculation.contains(":") && speculation.startsWith("speculative:") ? speculation
        : "speculative:" + speculation;
    Options o = COMPONENT.parse(Spec.parse(text));
    if ((draft == null) == !o.isSet("draft")) {
      throw BadInputException.of("draft", o.isSet("draft") ? o.get("draft") : "none",
          draft == null ? "a draft model spec (draft=kjv-small) or draft=prompt-lookup" : "no draft in the spec: the "
              + "draft model " + draft.name() + " is given");
    }
    String method = o.get("method");
    int drafts = o.getInt("drafts");
    boolean lookup = draft == null && o.get("draft").equals("prompt-lookup");
    if (method.equals("standard") && drafts != 1) {
      throw BadInputException.of("drafts", drafts, "1 for method=standard (spectr, rrs, rrs-wor and greedy-md "
          + "verify several drafts)");
    }
    if (drafts * o.getInt("k") > MAX_NODES) {
      throw BadInputException.of("drafts x k", drafts + " x " + o.getInt("k"), "at most " + MAX_NODES
          + " draft tokens per round (each holds a next-token distribution over the vocabulary)");
    }
    if (lookup && drafts != 1) {
      throw BadInputException.of("drafts", drafts, "1 with draft=prompt-lookup (one deterministic draft)");
    }
    if (o.getInt("lookup-min") > o.getInt("lookup-max")) {
      throw BadInputException.of("lookup-min", o.getInt("lookup-min"), "at most lookup-max = " + o.getInt("lookup-max"));
    }
    Verifier verifier = Verifiers.of(method);
    return new SpeculativeDecoder(sampler + " + " + o.spec(), sampling, verifier, o.getInt("k"), drafts,
        o.get("schedule").equals("heuristic"), lookup ? null : draft != null ? draft : LanguageModels.create(o.get("draft")),
        o.getInt("lookup-max"), o.getInt("lookup-min"), o.getBool("optimum"));
  }
}
