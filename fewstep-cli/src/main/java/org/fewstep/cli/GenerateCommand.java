package org.fewstep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.generate.TokenChoice;
import org.fewstep.onnx.text.GenerationDefaults;
import org.fewstep.onnx.text.OnnxCausalLm;
import org.fewstep.data.meta.Choice;
import org.fewstep.data.meta.MaskedFeatures;
import org.fewstep.data.meta.MetaInf;
import org.fewstep.data.meta.SamplerSelector;
import org.fewstep.text.masked.MaskedDecoder;
import org.fewstep.text.masked.MaskedDecoders;
import org.fewstep.text.masked.MaskedGeneration;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MaskedSample;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.model.MaskedModels;
import org.fewstep.text.speculative.Speculative;
import org.fewstep.text.speculative.SpeculativeDecoder;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.constrain.ConstrainedModel;
import org.fewstep.constrain.Constraints;
import org.fewstep.constrain.sample.Awrs;
import org.fewstep.core.registry.Spec;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.constrain.sample.AsapDecoder;
import org.fewstep.constrain.sample.AwrsDecoder;
import org.fewstep.constrain.sample.ConstrainedSmc;
import org.fewstep.constrain.sample.LocallyConstrainedDecoder;
import org.fewstep.text.generate.Decoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep generate}: text from a language model with a decoder. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate text from a language model; text is streamed as it is drawn.",
        "Models and decoders: see 'fewstep list language-models' and 'fewstep list decoders'.",
        "Example: fewstep generate --prompt 'And God said' --sampler sample:top-p=0.9,temperature=0.8 -n 3",
        "With --masked, a masked-diffusion LM fills a masked sequence of --length tokens with a --decoder",
        "('fewstep list masked-models', 'fewstep list masked-decoders').",
        "Example: fewstep generate --masked --model motif-hmm --decoder fast-dllm:threshold=0.9 --length 64 --block 16"})
final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", description = "model spec (kjv, kjv-small, hmm:FILE, pcfg:FILE, ngram:FILE; with --masked: motif-hmm, hmm:FILE, loglinear:FILE, ...); default kjv, with --masked motif-hmm")
  String model;

  @Option(names = "--prompt", defaultValue = "", description = "text to continue; default: none (start of a sequence)")
  String prompt;

  @Option(names = "--max-tokens", description = "most tokens per sample; default 64 (an ONNX model: its generation_config.json)")
  Integer maxTokens;

  @Option(names = "--sampler", description = "decoder spec, e.g. sample:top-p=0.9, greedy, ead, cntp; default sample (plain sampling; an ONNX model: its generation_config.json); with --masked, 'auto' means --decoder auto")
  String sampler;

  @Option(names = "--masked", description = "masked diffusion: fill a fully masked sequence of --length tokens with --decoder")
  boolean masked;

  @Option(names = "--decoder", description = "with --masked: fhs, mdm, llada, fast-dllm, dparallel, localleap, saber or lsd:FILE, with options (e.g. fast-dllm:threshold=0.8), or 'auto' (MetaInf: the configuration predicted best for an HMM model, --length and the NFE budget --steps); default fhs")
  String decoder;

  @Option(names = "--length", description = "with --masked: tokens to generate; default 32")
  Integer length;

  @Option(names = "--steps", description = "with --masked: the decoder's steps option (mdm, llada); with --decoder auto: the NFE budget (default: half the length)")
  Integer steps;

  @Option(names = "--block", description = "with --masked: the decoder's block length (llada, fast-dllm, dparallel, localleap, saber)")
  Integer block;

  @Option(names = "--seed", defaultValue = "0", description = "seed; sample i draws from stream i; default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = {"-n", "--samples"}, defaultValue = "1", description = "number of samples; default ${DEFAULT-VALUE}")
  int samples;

  @Option(names = "--stop", description = "stop sequence (repeatable); the text is cut before it")
  List<String> stops = List.of();

  @Option(names = "--format", defaultValue = "text", description = "text or jsonl (one object per sample: text, tokens, logprobs, ...); default ${DEFAULT-VALUE}")
  String format;

  @Option(names = "--top-logprobs", defaultValue = "0", description = "jsonl: the N most likely tokens at each position; default ${DEFAULT-VALUE}")
  int topLogprobs;

  @Option(names = "--speculative", description = "speculative decoding, e.g. draft=kjv-small,k=4,method=standard|spectr|rrs|rrs-wor|greedy-md,drafts=4 or draft=prompt-lookup,k=8; --sampler (sample:... or greedy) applies to target and draft")
  String speculative;

  @Option(names = "--stats", description = "with --speculative: print acceptance statistics (and the optimal acceptance) at the end")
  boolean stats;

  @Option(names = "--regex", description = "constrained generation: the text must match this regular expression whole")
  String regex;

  @Option(names = "--grammar", description = "constrained generation: the text must be in this grammar (.gbnf: llama.cpp GBNF, .lark: Lark-like EBNF)")
  Path grammar;

  @Option(names = "--json-schema", description = "constrained generation: the text must be a JSON document valid under this JSON Schema (draft 2020-12; properties in schema order)")
  Path jsonSchema;

  @Option(names = "--approx", description = "constrained generation: the text is this text with at most --mismatches bytes changed (Hamming distance; add --contains to ask only that some window of the text is)")
  String approx;

  @Option(names = "--mismatches", description = "with --approx: the most mismatching bytes (default 0)")
  Integer mismatches;

  @Option(names = "--contains", description = "with --approx: some window of the text, not the whole text, is within --mismatches of it")
  boolean contains;

  @Option(names = "--whitespace", description = "with --json-schema: white space between JSON tokens: flexible (any, the default), compact (none) or a regular expression")
  String whitespace;

  @Option(names = "--constrained", description = "with --regex, --grammar, --json-schema or --approx (and no --sampler or --speculative, which decode the masked model): mask (locally constrained, the default), awrs (the same law by adaptive rejection), asap (grammar-aligned: converges to the model conditioned on the constraint) or smc:particles=N[,estimator=auto|paper|recursive|geometric] (weighted particles with AWRS weights, resampled to -n outputs)")
  String constrained;

  @Override
  public Integer call() {
    boolean jsonl = Cli.choice("--format", format, "text", "jsonl").equals("jsonl");
    if (masked) {
      return callMasked(jsonl);
    }
    if ("auto".equals(sampler) || "auto".equals(decoder)) {
      throw BadInputException.of(sampler != null ? "--sampler" : "--decoder", "auto",
          "an explicit decoder spec: automatic choice (MetaInf) applies to masked-diffusion decoding ('fewstep generate --masked "
              + "--decoder auto') and diffusion sampling ('fewstep sample --sampler auto'), not to left-to-right decoding");
    }
    for (Object[] o : new Object[][] {{"--decoder", decoder}, {"--length", length}, {"--steps", steps}, {"--block", block}}) {
      if (o[1] != null) {
        throw BadInputException.of(o[0].toString(), o[1], "--masked as well (it is an option of masked diffusion)");
      }
    }
    if (approx == null && (mismatches != null || contains)) {
      throw BadInputException.of(mismatches != null ? "--mismatches" : "--contains", mismatches != null ? mismatches : "given",
          "--approx as well (the pattern)");
    }
    LanguageModel lm = LanguageModels.create(model == null ? "kjv" : model);
    TokenConstraint constraint = null;
    if (regex != null || grammar != null || jsonSchema != null || approx != null) {
      constraint = constraint(lm);
      if (sampler == null && speculative == null) {
        return callConstrained(lm, constraint, jsonl);
      }
      if (constrained != null) {
        throw BadInputException.of("--constrained", constrained, "no --constrained with --sampler or --speculative (these "
            + "decode the model masked by the constraint, the law of --constrained mask)");
      }
      lm = new ConstrainedModel(lm, constraint, prompt.isEmpty() ? 0 : lm.tokenizer().encode(prompt).length);
    }
    for (Object[] o : new Object[][] {{"--constrained", constrained}, {"--whitespace", whitespace}}) {
      if (o[1] != null && constraint == null) {
        throw BadInputException.of(o[0].toString(), o[1], "--regex, --grammar, --json-schema or --approx as well (the constraint)");
      }
    }
    // an exported model brings its generation_config.json defaults
    GenerationDefaults defaults = lm instanceof OnnxCausalLm onnx ? onnx.generationDefaults() : null;
    String sampler = this.sampler != null ? this.sampler : defaults != null ? defaults.sampler() : "sample";
    int maxTokens = this.maxTokens != null ? this.maxTokens
        : defaults != null && defaults.maxNewTokens().isPresent() ? defaults.maxNewTokens().getAsInt() : 64;
    PrintWriter out = spec.commandLine().getOut();
    if (stats && speculative == null) {
      throw BadInputException.of("--stats", "given", "--speculative as well (the statistics are speculation's)");
    }
    String speculation0 = speculative == null ? null
        : stats && !speculative.contains("optimum=") ? speculative + ",optimum=true" : speculative;
    SpeculativeDecoder speculation = speculation0 == null ? null
        : constraint == null ? Speculative.decoder(sampler, speculation0) : constrainedSpeculation(sampler, speculation0, constraint, lm);
    Generation g = Generation.of(lm).prompt(prompt).maxTokens(maxTokens).samples(samples).seed(seed)
        .stop(stops.toArray(new String[0]));
    if (defaults != null) { // the first eos id is the vocabulary's; a list's others end a completion too
      g.endTokens(defaults.eosTokenIds().stream().mapToInt(Integer::intValue).toArray());
    }
    if (speculation != null) {
      g.decoder(speculation);
    } else {
      g.decoder(sampler);
    }
    if (jsonl) {
      g.logprobs(topLogprobs);
    } else {
      int[] current = {-1};
      g.listener((sample, choice, delta) -> {
        if (sample != current[0]) {
          if (current[0] >= 0) {
            out.println();
          }
          current[0] = sample;
          out.print(prompt);
        }
        out.print(delta);
        out.flush();
      });
    }
    long start = System.nanoTime();
    List<Completion> completions = g.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (jsonl) {
      ObjectMapper mapper = new ObjectMapper();
      for (Completion c : completions) {
        out.println(json(mapper, lm, c));
      }
    } else {
      out.println();
    }
    int tokens = completions.stream().mapToInt(c -> c.tokens().size()).sum();
    if (speculation != null && stats) {
      spec.commandLine().getErr().println("fewstep: " + speculation.stats());
    }
    spec.commandLine().getErr().printf(Locale.ROOT, "fewstep: %d sample(s), %d tokens in %.2f s (%.0f tokens/s), model %s, decoder %s%n",
        completions.size(), tokens, seconds, tokens / Math.max(seconds, 1e-9), lm.name(),
        speculation != null ? speculation.spec() : sampler);
    return 0;
  }

  /**
   * Speculation on a constrained target: a draft model named in the spec is masked by the same
   * constraint (its drafts then pass more often); prompt lookup drafts freely, and the masked target
   * rejects what the constraint forbids.
   */
  private SpeculativeDecoder constrainedSpeculation(String sampler, String speculation, TokenConstraint c, LanguageModel target) {
    Spec s = Spec.parse(speculation.startsWith("speculative:") ? speculation : "speculative:" + speculation);
    String draft = s.values().get("draft");
    if (draft == null || draft.equals("prompt-lookup")) {
      return Speculative.decoder(sampler, speculation);
    }
    java.util.Map<String, String> rest = new java.util.LinkedHashMap<>(s.values());
    rest.remove("draft");
    String others = rest.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
    LanguageModel masked = new ConstrainedModel(LanguageModels.create(draft), c,
        prompt.isEmpty() ? 0 : target.tokenizer().encode(prompt).length);
    return Speculative.decoder(sampler, others.isEmpty() ? "speculative" : others, masked);
  }

  /** The constraint of {@code --regex}, {@code --grammar} or {@code --json-schema}, over the model's vocabulary. */
  private TokenConstraint constraint(LanguageModel lm) {
    if ((regex != null ? 1 : 0) + (grammar != null ? 1 : 0) + (jsonSchema != null ? 1 : 0) + (approx != null ? 1 : 0) > 1) {
      throw BadInputException.of("constraint", (regex != null ? "--regex " : "") + (grammar != null ? "--grammar " : "")
          + (jsonSchema != null ? "--json-schema " : "") + (approx != null ? "--approx" : ""),
          "one of --regex, --grammar, --json-schema and --approx");
    }
    if (approx != null) {
      return Constraints.approximate(approx, mismatches == null ? 0 : mismatches, !contains, lm.vocabulary());
    }
    if (whitespace != null && jsonSchema == null) {
      throw BadInputException.of("--whitespace", whitespace, "--json-schema as well (it is the JSON white space policy)");
    }
    return regex != null ? Constraints.regex(regex, lm.vocabulary())
        : grammar != null ? Constraints.grammar(grammar, lm.vocabulary())
        : Constraints.jsonSchema(jsonSchema, whitespace == null ? "flexible" : whitespace, lm.vocabulary());
  }

  /** {@code generate --regex|--grammar|--json-schema}: constrained generation with one of the constrained samplers. */
  private int callConstrained(LanguageModel lm, TokenConstraint c, boolean jsonl) {
    int maxTokens = this.maxTokens != null ? this.maxTokens : 64;
    String kind = constrained == null ? "mask" : constrained;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    if (kind.equals("smc") || kind.startsWith("smc:")) {
      Spec smc = Spec.parse(kind);
      for (String key : smc.values().keySet()) {
        if (!key.equals("particles") && !key.equals("estimator")) {
          throw BadInputException.of("--constrained " + kind + " option", key, "particles=N or estimator=auto|paper|recursive|geometric");
        }
      }
      if (smc.positional() != null) {
        throw BadInputException.of("--constrained", kind, "smc:particles=N[,estimator=auto|paper|recursive|geometric]");
      }
      int particles = smcParticles(smc.values().getOrDefault("particles", "16"));
      Awrs.Estimator estimator = smcEstimator(smc.values().getOrDefault("estimator", "auto"));
      ConstrainedSmc.Result r = new ConstrainedSmc(lm, c).particles(particles).maxTokens(maxTokens).estimator(estimator)
          .run(prompt.isEmpty() ? new int[0] : lm.tokenizer().encode(prompt), new Rng(seed));
      double[] w = r.normalizedWeights();
      Rng pick = Rng.stream(seed, 1);
      Categorical law = new Categorical().setWeights("particle weights", w, w.length);
      for (int i = 0; i < samples; i++) {
        int[] tokens = r.particles().get(law.sample(pick)).tokens();
        int end = tokens.length > 0 && tokens[tokens.length - 1] == lm.vocabulary().eos() ? tokens.length - 1 : tokens.length;
        out.println(prompt + lm.tokenizer().decode(java.util.Arrays.copyOf(tokens, end)));
      }
      err.printf(Locale.ROOT, "fewstep: smc with %d particles: log Z = %.4f (estimate of log P(constraint | prompt)), "
              + "%d resamplings, %d constraint evaluations, %.2f s%n", particles, r.logZ(), r.resamples(), r.evaluations(),
          (System.nanoTime() - start) / 1e9);
      return 0;
    }
    Decoder d;
    switch (kind) {
      case "mask" -> d = new LocallyConstrainedDecoder(c);
      case "awrs" -> d = new AwrsDecoder(c);
      case "asap" -> d = new AsapDecoder(c);
      default -> throw BadInputException.of("--constrained", kind, "mask, awrs, asap or smc:particles=N");
    }
    Generation g = Generation.of(lm).prompt(prompt).maxTokens(maxTokens).samples(samples).seed(seed).decoder(d)
        .stop(stops.toArray(new String[0]));
    if (jsonl) {
      g.logprobs(topLogprobs);
    }
    List<Completion> completions = g.run();
    ObjectMapper mapper = new ObjectMapper();
    for (Completion comp : completions) {
      out.println(jsonl ? json(mapper, lm, comp) : prompt + comp.text());
    }
    int tokens = completions.stream().mapToInt(x -> x.tokens().size()).sum();
    err.printf(Locale.ROOT, "fewstep: %d sample(s), %d tokens in %.2f s, model %s, %s%s%n", completions.size(), tokens,
        (System.nanoTime() - start) / 1e9, lm.name(), d.spec(), d instanceof AwrsDecoder a
            ? String.format(Locale.ROOT, " (%.2f constraint evaluations per token)", a.evaluations() / (double) Math.max(1, a.tokens()))
            : "");
    return 0;
  }

  private static int smcParticles(String value) {
    try {
      return BadInputException.requireAtLeast("smc particles", Integer.parseInt(value), 1);
    } catch (NumberFormatException e) {
      throw BadInputException.of("--constrained smc particles", value, "a positive integer");
    }
  }

  private static Awrs.Estimator smcEstimator(String value) {
    for (Awrs.Estimator e : Awrs.Estimator.values()) {
      if (e != Awrs.Estimator.NONE && e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw BadInputException.of("--constrained smc estimator", value, "auto, paper, recursive or geometric");
  }

  /** {@code generate --masked}: a masked-diffusion decoder on a masked LM. */
  private int callMasked(boolean jsonl) {
    boolean auto = "auto".equals(sampler) || "auto".equals(decoder);
    if (auto && sampler != null && decoder != null) {
      throw BadInputException.of("--sampler and --decoder", sampler + " and " + decoder, "one of them (with --masked both name the decoder)");
    }
    for (Object[] o : new Object[][] {{"--sampler", auto ? null : sampler}, {"--max-tokens", maxTokens}, {"--speculative", speculative},
        {"--stop", stops.isEmpty() ? null : stops}, {"--top-logprobs", topLogprobs == 0 ? null : topLogprobs},
        {"--regex", regex}, {"--grammar", grammar}, {"--json-schema", jsonSchema}, {"--whitespace", whitespace},
        {"--approx", approx},
        {"--constrained", constrained}}) {
      if (o[1] != null) {
        throw BadInputException.of(o[0].toString(), o[1], "no --masked (it is an option of left-to-right decoding)");
      }
    }
    MaskedLm lm = MaskedModels.create(model == null ? "motif-hmm" : model);
    String decoderSpec = auto ? chooseMaskedAuto(lm, length == null ? 32 : length)
        : withOption(withOption(decoder == null ? "fhs" : decoder, "steps", steps, "--steps"), "block", block, "--block");
    MaskedDecoder d = MaskedDecoders.create(decoderSpec);
    int[] promptTokens = prompt.isEmpty() ? new int[0] : lm.tokenizer().encode(prompt);
    MaskedGeneration g = MaskedGeneration.of(lm, d).prompt(promptTokens).length(length == null ? 32 : length)
        .rows(BadInputException.requireAtLeast("--samples", samples, 1)).seed(seed);
    long start = System.nanoTime();
    List<MaskedSample> out = g.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintWriter w = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    long nfe = 0;
    int tokens = 0;
    for (MaskedSample s : out) {
      String text = s.text(lm.tokenizer());
      if (jsonl) {
        ObjectNode o = mapper.createObjectNode();
        o.put("index", s.row());
        o.put("text", text);
        ArrayNode ids = o.putArray("tokens");
        for (int t : s.tokens()) {
          ids.add(t);
        }
        o.put("nfe", s.nfe());
        o.put("full_forwards", s.fullForwards());
        o.put("remasked", s.remasked());
        w.println(o);
      } else {
        w.println(prompt.isEmpty() ? text : prompt + " " + text);
      }
      nfe += s.nfe();
      tokens += s.tokens().length;
    }
    w.flush();
    spec.commandLine().getErr().printf(Locale.ROOT,
        "fewstep: %d sample(s), %d tokens, %.1f NFE per sample (%.3f per token) in %.2f s, model %s, decoder %s%n",
        out.size(), tokens, (double) nfe / out.size(), (double) nfe / tokens, seconds, lm.name(), d.spec());
    return 0;
  }

  /**
   * {@code --masked --decoder auto} (or {@code --sampler auto}): MetaInf's default masked-decoder
   * selector (discrete-and-data.md section 15) picks the decoder configuration predicted best for this
   * model and length within the NFE budget {@code --steps} (default: half the length), and says so on
   * standard error.
   */
  private String chooseMaskedAuto(MaskedLm lm, int n) {
    if (block != null) {
      throw BadInputException.of("--block", block, "no --block with --decoder auto (it chooses a whole decoder configuration)");
    }
    int budget = steps != null ? steps : Math.max(1, n / 2);
    MaskedFeatures features = MaskedFeatures.of(lm, BadInputException.requireAtLeast("--length", n, 1));
    SamplerSelector selector = MetaInf.defaultMaskedSelector();
    List<Choice> ranked = MetaInf.rankedMasked(features, budget);
    Choice c = ranked.get(0);
    StringBuilder next = new StringBuilder();
    for (int i = 1; i < Math.min(3, ranked.size()); i++) {
      next.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2e", ranked.get(i).sampler(), ranked.get(i).predictedRmse()));
    }
    spec.commandLine().getErr().printf(Locale.ROOT,
        "--decoder auto chose %s (NFE at most %d in the records and at most %s at this length, within the budget of %d): predicted adjacent-pair TV to the exact model "
            + "%.2e (next: %s); MetaInf %s over %d benchmarked situations at budget %d; features: symbols %d, length %d, states %d, "
            + "H(next|previous) %.3f, adjacent MI %.3f (over log symbols)%n",
        c.sampler(), c.nfe(), MetaInf.maskedNfeBound(c.sampler(), n) == Integer.MAX_VALUE ? "unbounded" : MetaInf.maskedNfeBound(c.sampler(), n),
        budget, c.predictedRmse(), next, selector.learner().key(), selector.situations(c.recordedBudget()),
        c.recordedBudget(), features.symbols(), features.length(), features.states(), features.conditionalEntropy(),
        features.mutualInformation());
    return c.sampler();
  }

  /** {@code spec} with {@code key=value} added, if the value is given; the decoder must declare the key. */
  private static String withOption(String spec, String key, Integer value, String option) {
    if (value == null) {
      return spec;
    }
    String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
    if (!MaskedDecoders.registry().component(name).options().stream().anyMatch(o -> o.key().equals(key))) {
      throw BadInputException.of(option, value, "a decoder with a " + key + " option (" + name + " has none)");
    }
    return spec + (spec.contains(":") ? "," : ":") + key + "=" + value;
  }

  private static String json(ObjectMapper mapper, LanguageModel lm, Completion c) {
    ObjectNode o = mapper.createObjectNode();
    o.put("index", c.index());
    o.put("text", c.text());
    ArrayNode ids = o.putArray("tokens");
    ArrayNode lps = o.putArray("logprobs");
    ArrayNode sampling = o.putArray("sampling_logprobs");
    ArrayNode top = o.putArray("top_logprobs");
    for (TokenChoice t : c.tokens()) {
      ids.add(t.token());
      lps.add(t.logprob());
      sampling.add(t.samplingLogprob());
      ArrayNode alternatives = top.addArray();
      for (TokenChoice.Alternative a : t.top()) {
        alternatives.addObject().put("token", a.token()).put("text", lm.vocabulary().text(a.token())).put("logprob", a.logprob());
      }
    }
    if (top.isEmpty() || top.get(0).isEmpty()) {
      o.remove("top_logprobs");
    }
    o.put("logprob", c.logprob());
    o.put("finish", c.finish().key());
    return o.toString();
  }
}
