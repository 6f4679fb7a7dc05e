package org.fewstep.text.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;

/**
 * Generation from a language model, configured by a builder:
 * <pre>{@code
 * List<Completion> out = Generation.of(model).prompt("In the beginning").decoder("sample:top-p=0.9")
 *     .maxTokens(40).stop("\n").samples(4).seed(7).logprobs(5).run();
 * }</pre>
 * The prompt is scored once; sample i forks its state and draws from {@code Rng.stream(seed, i)}, so
 * each sample is reproducible on its own. Generation stops at the end-of-sequence token, at a stop
 * sequence (the text is cut before it; the tokens keep the one that completed it) or after
 * {@code maxTokens} tokens.
 */
public final class Generation {
  private final LanguageModel model;
  private String prompt = "";
  private Decoder decoder = Decoders.create("sample");
  private int maxTokens = 64;
  private List<String> stops = List.of();
  private int[] endTokens = new int[0];
  private int samples = 1;
  private long seed;
  private boolean logprobs;
  private int topN;
  private TokenListener listener = (s, c, d) -> { };

  private Generation(LanguageModel model) {
    this.model = model;
  }

  /** A generation from {@code model} with defaults: empty prompt, plain sampling, 64 tokens, seed 0. */
  public static Generation of(LanguageModel model) {
    return new Generation(model);
  }

  public Generation prompt(String text) {
    this.prompt = text;
    return this;
  }

  public Generation decoder(String spec) {
    this.decoder = Decoders.create(spec);
    return this;
  }

  public Generation decoder(Decoder d) {
    this.decoder = d;
    return this;
  }

  public Generation maxTokens(int n) {
    this.maxTokens = BadInputException.requireAtLeast("max tokens", n, 1);
    return this;
  }

  /** Stop sequences (non-empty strings). */
  public Generation stop(String... sequences) {
    for (String s : sequences) {
      if (s == null || s.isEmpty()) {
        throw BadInputException.of("stop sequence", "''", "a non-empty string");
      }
    }
    this.stops = List.of(sequences);
    return this;
  }

  /**
   * Further ids that end a completion as the vocabulary's end token does (finish {@code EOS}, no
   * text): the rest of a list such as transformers' {@code eos_token_id: [128001, 128009]}. The model
   * still assigns them their probability; only the completion stops at them.
   */
  public Generation endTokens(int... ids) {
    for (int id : ids) {
      model.vocabulary().requireToken("end token", id);
    }
    this.endTokens = ids.clone();
    return this;
  }

  public Generation samples(int n) {
    this.samples = BadInputException.requireAtLeast("samples (n)", n, 1);
    return this;
  }

  public Generation seed(long s) {
    this.seed = s;
    return this;
  }

  /** Score every token with its model log-probability and the {@code topN} most likely alternatives. */
  public Generation logprobs(int topN) {
    if (topN < 0) {
      throw BadInputException.of("top log-probs", topN, "a count >= 0");
    }
    this.logprobs = true;
    this.topN = topN;
    return this;
  }

  public Generation listener(TokenListener l) {
    this.listener = l;
    return this;
  }

  /** Runs the generation: {@code samples} completions, in order. */
  public List<Completion> run() {
    int[] promptTokens = model.tokenizer().encode(prompt);
    LmState promptState = model.start();
    double[] promptLogits = new double[promptTokens.length];
    double[] first = promptState.prefill(promptTokens, promptLogits);
    for (int i = 0; i < promptTokens.length; i++) {
      if (promptLogits[i] == Double.NEGATIVE_INFINITY) {
        throw BadInputException.of("prompt token at position " + i, "'" + model.vocabulary().text(promptTokens[i]) + "'",
            "a token of positive probability after the prompt before it (the prompt is impossible under "
                + model.name() + ")");
      }
    }
    List<Completion> out = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      try (LmState state = promptState.fork()) {
        out.add(one(i, state, first.clone(), promptTokens));
      }
    }
    promptState.close();
    return out;
  }

  private Completion one(int index, LmState state, double[] logits, int[] promptTokens) {
    Rng rng = Rng.stream(seed, index);
    try (Decoder.Sequence sequence = decoder.start(model, state, logits, promptTokens)) {
      return one(index, sequence, rng, logits.length);
    }
  }

  private Completion one(int index, Decoder.Sequence sequence, Rng rng, int vocabulary) {
    Decoder.Scoring scoring = new Decoder.Scoring(logprobs, topN, new double[vocabulary]);
    List<TokenChoice> tokens = new ArrayList<>();
    int longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
    String emitted = "";
    while (true) {
      for (TokenChoice c : sequence.next(maxTokens - tokens.size(), rng, scoring)) {
        tokens.add(c);
        String text = decode(tokens);
        int cut = stopIndex(text, Math.max(0, emitted.length() - longestStop));
        Completion.Finish finish = cut >= 0 ? Completion.Finish.STOP
            : isEnd(c.token()) ? Completion.Finish.EOS
            : tokens.size() >= maxTokens ? Completion.Finish.LENGTH : null;
        String visible = cut >= 0 ? text.substring(0, cut) : finish != null ? text : stable(text);
        String delta = visible.startsWith(emitted) ? visible.substring(emitted.length()) : "";
        listener.onToken(index, c, delta);
        emitted = emitted + delta;
        if (finish != null) {
          return new Completion(index, visible, tokens, finish);
        }
      }
    }
  }

  /** The text of the generated tokens (end tokens contribute nothing). */
  private String decode(List<TokenChoice> tokens) {
    int[] ids = tokens.stream().mapToInt(TokenChoice::token).filter(t -> !isEnd(t)).toArray();
    return model.tokenizer().decode(ids);
  }

  /** Whether {@code token} ends a completion: the vocabulary's end token or one of {@link #endTokens}. */
  private boolean isEnd(int token) {
    if (token == model.vocabulary().eos()) {
      return true;
    }
    for (int t : endTokens) {
      if (t == token) {
        return true;
      }
    }
    return false;
  }

  /** First index of any stop sequence in {@code text} at or after {@code from}, or -1. */
  private int stopIndex(String text, int from) {
    int best = -1;
    for (String s : stops) {
      int i = text.indexOf(s, from);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The part of {@code text} that later tokens cannot change: without a trailing replacement
   * character (an incomplete UTF-8 sequence) and without a suffix that may grow into a stop sequence.
   */
  private String stable(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    int keep = end;
    for (String s : stops) {
      for (int k = Math.min(s.length() - 1, end); k > 0; k--) {
        if (text.regionMatches(end - k, s, 0, k)) {
          keep = Math.min(keep, end - k);
          break;
        }
      }
    }
    return text.substring(0, keep);
  }

  @Override
  public String toString() {
    return "Generation[model=" + model.name() + ", decoder=" + decoder.spec() + ", maxTokens=" + maxTokens
        + ", stops=" + stops + ", endTokens=" + Arrays.toString(endTokens) + ", samples=" + samples + ", seed=" + seed + ", logprobs=" + logprobs + "/" + topN
        + ", prompt=" + Arrays.toString(prompt.codePoints().limit(20).toArray()) + "]";
  }
}
