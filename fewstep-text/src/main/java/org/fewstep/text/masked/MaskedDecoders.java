package org.fewstep.text.masked;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Registry;

/**
 * The registered masked-diffusion decoders: {@code fhs}, {@code mdm}, {@code llada},
 * {@code fast-dllm}, {@code dparallel}, {@code localleap}, {@code saber} and {@code lsd}. Defaults
 * are those of the reference code (discrete-and-data.md Part A).
 */
public final class MaskedDecoders {
  private MaskedDecoders() {}

  private static final Option TEMPERATURE_0 =
      Option.real("temperature", 0.0, 0, Double.POSITIVE_INFINITY, "sampling temperature of the chosen tokens (0: argmax)");
  private static final Option TEMPERATURE_1 =
      Option.real("temperature", 1.0, 0, Double.POSITIVE_INFINITY, "sampling temperature (0: argmax)");
  private static final Option SCHEDULE =
      Option.choice("schedule", "linear", "masking schedule alpha(t): 1 - t or cos(pi t / 2)", "linear", "cosine");
  private static final Option BLOCK = Option.integer("block", null, 1, Integer.MAX_VALUE,
      "block length (a divisor of the length); default 32 where 32 divides the length, else the length");
  private static final List<Option> CACHE = List.of(
      Option.choice("cache", "none", "block key/value cache of Fast-dLLM (needs a model with a cache)", "none", "prefix", "dual"),
      Option.integer("refresh", 0, 0, Integer.MAX_VALUE, "with a cache, also refresh it every this many steps (0: at each block)"));

  private static final Registry<MaskedDecoder> REGISTRY = new Registry<MaskedDecoder>("masked decoder")
      .register(new Component<>("fhs",
          "first-hitting sampler: one uniformly chosen position per call at its analytic first-hitting time",
          "Zheng et al. 2025, arXiv 2409.02908 (discrete-and-data.md 1)",
          List.of(SCHEDULE, TEMPERATURE_1),
          o -> new FirstHittingSampler(o.spec(), MaskSchedule.of(o.get("schedule")), o.getDouble("temperature"))))
      .register(new Component<>("mdm",
          "time-stepped ancestral sampler of masked diffusion (MDLM ddpm_cache)",
          "Sahoo et al. 2024, MDLM; Zheng et al. 2025 (discrete-and-data.md 1)",
          List.of(Option.integer("steps", 128, 1, Integer.MAX_VALUE, "time steps T"), SCHEDULE, TEMPERATURE_1,
              Option.flag("caching", true, "call the model again only after a step that changed the sequence")),
          o -> new AncestralSampler(o.spec(), o.getInt("steps"), MaskSchedule.of(o.get("schedule")),
              o.getDouble("temperature"), o.getBool("caching"))))
      .register(new Component<>("llada",
          "semi-autoregressive block decoding, a fixed number of tokens per step, most confident (or random) first",
          "Nie et al. 2025, LLaDA generate.py (discrete-and-data.md 2.1)",
          with(List.of(Option.integer("steps", null, 1, Integer.MAX_VALUE, "total steps (default: the length, one token per step)"),
              BLOCK, TEMPERATURE_0,
              Option.choice("remasking", "low-confidence", "which tokens to keep each step", "low-confidence", "random"),
              Option.real("cfg", 0.0, 0, Double.POSITIVE_INFINITY, "classifier-free guidance scale w (needs a prompt): un + (w+1)(cond - un)")), CACHE),
          o -> block(o, null, o.isSet("steps") ? o.getInt("steps") : 0, o.get("remasking").equals("random"))))
      .register(new Component<>("fast-dllm",
          "parallel decoding of every token above a confidence threshold (or by the factor rule) per block",
          "Wu et al. 2025, Fast-dLLM, arXiv 2505.22618 (discrete-and-data.md 2.3)",
          with(List.of(Option.real("threshold", 0.9, Double.MIN_VALUE, 1, "commit tokens at least this confident"),
              Option.real("factor", null, Double.MIN_VALUE, Double.POSITIVE_INFINITY, "factor rule: commit while (k+1)(1 - c_k) <= factor (instead of the threshold)"),
              BLOCK, TEMPERATURE_0), CACHE),
          o -> {
            if (o.isSet("factor")) {
              if (o.isGiven("threshold")) {
                throw BadInputException.of(o.component() + ": threshold", o.get("threshold"), "no threshold with factor (they are two rules)");
              }
              return block(o, new FactorRule(o.getDouble("factor")), 0, false);
            }
            return block(o, new ThresholdRule(o.getDouble("threshold")), 0, false);
          }))
      .register(new Component<>("dparallel",
          "parallel decoding of every token whose entropy is at most a threshold, per block",
          "Chen et al. 2025, dParallel, arXiv 2509.26488 (discrete-and-data.md 2.2)",
          with(List.of(Option.real("threshold", 0.5, 0, Double.POSITIVE_INFINITY, "entropy threshold in nats"),
              BLOCK, TEMPERATURE_0), CACHE),
          o -> block(o, new EntropyRule(o.getDouble("threshold")), 0, false)))
      .register(new Component<>("localleap",
          "threshold decoding with a relaxed threshold near anchors (tokens above the strict one)",
          "Kong et al. 2025, LocalLeap, arXiv 2510.07081 (discrete-and-data.md 3)",
          with(List.of(Option.real("threshold", 0.9, Double.MIN_VALUE, 1, "strict threshold: anchors"),
              Option.real("relaxed", 0.75, Double.MIN_VALUE, 1, "threshold within the radius of an anchor, at most the threshold"),
              Option.integer("radius", 4, 0, Integer.MAX_VALUE, "neighbourhood radius in positions"),
              BLOCK, TEMPERATURE_0), CACHE),
          o -> {
            double strict = o.getDouble("threshold");
            double relaxed = o.getDouble("relaxed");
            if (relaxed > strict) {
              throw BadInputException.of(o.component() + ": relaxed", relaxed, "at most the threshold " + strict);
            }
            return block(o, new LocalLeapRule(strict, relaxed, o.getInt("radius")), 0, false);
          }))
      .register(new Component<>("saber",
          "adaptive threshold (mean confidence of commits) with backtracking re-masking of the largest confidence drops",
          "Dong et al. 2025, Saber, arXiv 2510.18165 (discrete-and-data.md 4)",
          List.of(Option.integer("n", 2, 1, Integer.MAX_VALUE, "fewest tokens committed per step"),
              Option.integer("mu", 8, 1, Integer.MAX_VALUE, "re-mask ceil(committed / mu) (at least floor(n/2))"),
              Option.integer("block", null, 1, Integer.MAX_VALUE, "block length (a divisor of the length); default the whole length"),
              TEMPERATURE_0,
              Option.flag("backtrack", true, "re-mask committed tokens whose confidence fell most")),
          o -> new SaberDecoder(o.spec(), o.getInt("n"), o.getInt("mu"), o.isSet("block") ? o.getInt("block") : 0,
              o.getDouble("temperature"), o.getBool("backtrack"))))
      .register(new Component<>("lsd",
          "the ancestral sampler with learned step coefficients (LSD) and time grid (LSD+), from 'fewstep train lsd'",
          "Fu, Guo and Liu 2025, LSD, arXiv 2509.19962 (discrete-and-data.md 5)",
          List.of(Option.text("file", null, "the learned parameters (JSON)").asRequiredPositional(), TEMPERATURE_1),
          o -> new AncestralSampler(o.spec(), LsdParameters.load(java.nio.file.Path.of(o.get("file"))),
              MaskSchedule.LINEAR, o.getDouble("temperature"), true)));

  /** The registry (for listings and the CLI). */
  public static Registry<MaskedDecoder> registry() {
    return REGISTRY;
  }

  /** Builds a decoder from a spec such as {@code fast-dllm:threshold=0.8,block=16}. */
  public static MaskedDecoder create(String spec) {
    return REGISTRY.create(spec);
  }

  private static BlockDecoder block(Options o, CommitRule rule, int steps, boolean random) {
    return new BlockDecoder(o.spec(), rule, steps, o.isSet("block") ? o.getInt("block") : 0,
        o.getDouble("temperature"), random, CacheMode.valueOf(o.get("cache").toUpperCase(java.util.Locale.ROOT)),
        o.getInt("refresh"), o.declares("cfg") ? o.getDouble("cfg") : 0);
  }

  private static List<Option> with(List<Option> base, List<Option> more) {
    List<Option> out = new ArrayList<>(base);
    out.addAll(more);
    return out;
  }
}
