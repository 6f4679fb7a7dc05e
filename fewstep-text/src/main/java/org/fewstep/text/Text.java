package org.fewstep.text;

import org.fewstep.core.registry.Registry;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.token.Tokenizers;

/**
 * The text facade: models, decoders and tokenizers by spec, generation and scoring.
 * <pre>{@code
 * LanguageModel kjv = Text.model("kjv");
 * List<Completion> out = Text.generate(kjv).prompt("And God said").decoder("sample:top-p=0.9").run();
 * double logprob = Text.score(kjv, "In the beginning", false).total();
 * }</pre>
 */
public final class Text {
  private Text() {}

  /** A language model by spec: kjv, kjv-small, ngram:FILE, hmm:FILE, pcfg:FILE, weather-hmm, arith-pcfg. */
  public static LanguageModel model(String spec) {
    return LanguageModels.create(spec);
  }

  /** The registered language models. */
  public static Registry<LanguageModel> models() {
    return LanguageModels.registry();
  }

  /** A decoder by spec: sample:..., greedy, ead:..., cntp:.... */
  public static Decoder decoder(String spec) {
    return Decoders.create(spec);
  }

  /** The registered decoders. */
  public static Registry<Decoder> decoders() {
    return Decoders.registry();
  }

  /** A BPE tokenizer: cl100k, o200k, p50k or r50k. */
  public static Tokenizer tokenizer(String name) {
    return Tokenizers.bpe(name);
  }

  /** A generation from {@code model}, to configure and {@link Generation#run}. */
  public static Generation generate(LanguageModel model) {
    return Generation.of(model);
  }

  /** The log-probability of {@code text} from the start of a sequence (and its end, with {@code withEos}). */
  public static Scores score(LanguageModel model, String text, boolean withEos) {
    return Scores.of(model, text, withEos);
  }
}
