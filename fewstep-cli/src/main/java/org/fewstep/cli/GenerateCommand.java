package org.fewstep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.generate.TokenChoice;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.speculative.Speculative;
import org.fewstep.text.speculative.SpeculativeDecoder;
import org.fewstep.core.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep generate}: text from a language model with a decoder. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate text from a language model; text is streamed as it is drawn.",
        "Models and decoders: see 'fewstep list language-models' and 'fewstep list decoders'.",
        "Example: fewstep generate --prompt 'And God said' --sampler sample:top-p=0.9,temperature=0.8 -n 3"})
final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "kjv", description = "model spec (kjv, kjv-small, hmm:FILE, pcfg:FILE, ngram:FILE); default ${DEFAULT-VALUE}")
  String model;

  @Option(names = "--prompt", defaultValue = "", description = "text to continue; default: none (start of a sequence)")
  String prompt;

  @Option(names = "--max-tokens", defaultValue = "64", description = "most tokens per sample; default ${DEFAULT-VALUE}")
  int maxTokens;

  @Option(names = "--sampler", defaultValue = "sample", description = "decoder spec, e.g. sample:top-p=0.9, greedy, ead, cntp; default ${DEFAULT-VALUE} (plain sampling)")
  String sampler;

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

  @Override
  public Integer call() {
    boolean jsonl = Cli.choice("--format", format, "text", "jsonl").equals("jsonl");
    LanguageModel lm = LanguageModels.create(model);
    PrintWriter out = spec.commandLine().getOut();
    if (stats && speculative == null) {
      throw BadInputException.of("--stats", "given", "--speculative as well (the statistics are speculation's)");
    }
    SpeculativeDecoder speculation = speculative == null ? null
        : Speculative.decoder(sampler, stats && !speculative.contains("optimum=") ? speculative + ",optimum=true" : speculative);
    Generation g = Generation.of(lm).prompt(prompt).maxTokens(maxTokens).samples(samples).seed(seed)
        .stop(stops.toArray(new String[0]));
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
