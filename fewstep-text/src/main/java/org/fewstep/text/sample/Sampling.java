package org.fewstep.text.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;

/**
 * The settings of a sampling chain, checked once: each field is off at its neutral value
 * (temperature 1, top-k 0, top-p 1, min-p 0, typical-p 1, penalties 1/0/0, no bias, mirostat 0).
 *
 * <p>The chain applies them in llama.cpp's order: logit bias, penalties, top-k, typical-p, top-p,
 * min-p, temperature, then mirostat or the final draw. Truncation thus sees the untempered
 * distribution; {@code temperatureFirst} moves the temperature in front of the truncations instead
 * (the convention of Hugging Face transformers and vLLM). Mirostat replaces the truncations, so
 * combining it with any of them is an error rather than a silently ignored setting.
 *
 * @param temperature      logit divisor; 0 = greedy
 * @param topK             keep the k most likely tokens (0 = off)
 * @param topP             nucleus mass in (0, 1] (1 = off)
 * @param minP             keep p >= minP * p_max, in [0, 1) (0 = off)
 * @param typicalP         locally typical mass in (0, 1] (1 = off)
 * @param minKeep          top-p, typical-p and min-p keep at least this many tokens
 * @param repeatPenalty    CTRL repetition penalty (> 0; 1 = off)
 * @param repeatLastN      penalty window in tokens (-1 = whole sequence, 0 = off)
 * @param frequencyPenalty subtracted once per occurrence in the window
 * @param presencePenalty  subtracted once if present in the window
 * @param logitBias        token id -> bias added to its logit
 * @param mirostat         0 = off, 2 = mirostat 2.0
 * @param mirostatTau      mirostat's target surprise (bits)
 * @param mirostatEta      mirostat's learning rate
 * @param temperatureFirst apply the temperature before the truncations
 */
public record Sampling(
    double temperature, int topK, double topP, double minP, double typicalP, int minKeep,
    double repeatPenalty, int repeatLastN, double frequencyPenalty, double presencePenalty,
    Map<Integer, Double> logitBias, int mirostat, double mirostatTau, double mirostatEta,
    boolean temperatureFirst) {

  /** Plain ancestral sampling: every setting at its neutral value. */
  public static final Sampling ANCESTRAL =
      new Sampling(1, 0, 1, 0, 1, 1, 1, 64, 0, 0, Map.of(), 0, 5, 0.1, false);

  /** The spec options of a chain (shared by the sample, ead and cntp decoders). */
  public static final List<Option> OPTIONS = List.of(
      Option.real("temperature", 1.0, 0, Double.POSITIVE_INFINITY, "logit divisor; 0 = greedy"),
      Option.integer("top-k", 0, 0, Integer.MAX_VALUE, "keep the k most likely tokens; 0 = off"),
      Option.real("top-p", 1.0, 0, 1, "nucleus: smallest set with this mass, in (0, 1]; 1 = off"),
      Option.real("min-p", 0.0, 0, 1, "keep tokens with p >= min-p * p_max, in [0, 1); 0 = off"),
      Option.real("typical-p", 1.0, 0, 1, "locally typical mass in (0, 1]; 1 = off"),
      Option.integer("min-keep", 1, 1, Integer.MAX_VALUE, "top-p, typical-p and min-p keep at least this many"),
      Option.real("repeat-penalty", 1.0, 0, Double.POSITIVE_INFINITY, "CTRL repetition penalty (> 0); 1 = off"),
      Option.integer("repeat-last-n", 64, -1, Integer.MAX_VALUE, "penalty window; -1 = whole sequence, 0 = off"),
      Option.real("frequency-penalty", 0.0, -2, 2, "subtracted per occurrence in the window"),
      Option.real("presence-penalty", 0.0, -2, 2, "subtracted once when present in the window"),
      Option.text("logit-bias", null, "ID:BIAS;ID:BIAS... added to those tokens' logits (-inf bans)"),
      Option.integer("mirostat", 0, 0, 2, "0 = off, 2 = mirostat 2.0"),
      Option.real("mirostat-tau", 5.0, 0, Double.POSITIVE_INFINITY, "mirostat target surprise (bits)"),
      Option.real("mirostat-eta", 0.1, 0, Double.POSITIVE_INFINITY, "mirostat learning rate"),
      Option.flag("temperature-first", false, "temperature before the truncations (transformers/vLLM order)"));

  public Sampling {
    requireFinite("temperature", temperature);
    if (temperature < 0) {
      throw BadInputException.of("temperature", temperature, "a number >= 0 (0 = greedy)");
    }
    if (topK < 0) {
      throw BadInputException.of("top-k", topK, "k >= 1, or 0 for off");
    }
    probability("top-p", topP);
    probability("typical-p", typicalP);
    if (!(minP >= 0 && minP < 1)) {
      throw BadInputException.of("min-p", minP, "a number in [0, 1)");
    }
    if (minKeep < 1) {
      throw BadInputException.of("min-keep", minKeep, "at least 1");
    }
    if (!(repeatPenalty > 0) || Double.isInfinite(repeatPenalty)) {
      throw BadInputException.of("repeat-penalty", repeatPenalty, "a finite number > 0 (1 = off)");
    }
    if (repeatLastN < -1) {
      throw BadInputException.of("repeat-last-n", repeatLastN, "-1 (whole sequence), 0 (off) or a window length");
    }
    requireFinite("frequency-penalty", frequencyPenalty);
    requireFinite("presence-penalty", presencePenalty);
    logitBias = Map.copyOf(logitBias);
    logitBias.forEach((id, bias) -> {
      if (Double.isNaN(bias) || bias == Double.POSITIVE_INFINITY) {
        throw BadInputException.of("logit-bias of token " + id, bias, "a finite number, or -inf to ban the token");
      }
    });
    if (mirostat != 0 && mirostat != 2) {
      throw BadInputException.of("mirostat", mirostat, "0 (off) or 2 (mirostat 2.0)");
    }
    if (mirostat == 2) {
      BadInputException.requirePositive("mirostat-tau", mirostatTau);
      BadInputException.requirePositive("mirostat-eta", mirostatEta);
      if (topK != 0 || topP != 1 || minP != 0 || typicalP != 1) {
        throw new BadInputException("mirostat = 2 replaces top-k, top-p, min-p and typical-p; "
            + "remove those options (given: top-k=" + topK + ", top-p=" + topP + ", min-p=" + minP
            + ", typical-p=" + typicalP + ")");
      }
    }
  }

  /** Reads the {@link #OPTIONS} of a parsed spec. */
  public static Sampling from(Options o) {
    double temperature = o.declares("temperature") ? o.getDouble("temperature") : 1.0;
    return new Sampling(temperature, o.getInt("top-k"), o.getDouble("top-p"),
        o.getDouble("min-p"), o.getDouble("typical-p"), o.getInt("min-keep"), o.getDouble("repeat-penalty"),
        o.getInt("repeat-last-n"), o.getDouble("frequency-penalty"), o.getDouble("presence-penalty"),
        o.isSet("logit-bias") ? parseBias(o.get("logit-bias")) : Map.of(), o.getInt("mirostat"),
        o.getDouble("mirostat-tau"), o.getDouble("mirostat-eta"), o.getBool("temperature-first"));
  }

  /** Parses {@code ID:BIAS;ID:BIAS}. */
  public static Map<Integer, Double> parseBias(String text) {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (String item : text.split(";")) {
      String[] parts = item.trim().split(":");
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        int id = Integer.parseInt(parts[0].trim());
        String b = parts[1].trim();
        double bias = b.equalsIgnoreCase("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(b);
        if (out.put(id, bias) != null) {
          throw new BadInputException("logit-bias: token " + id + " is given twice");
        }
      } catch (NumberFormatException e) {
        throw BadInputException.of("logit-bias item", "'" + item + "'", "TOKEN_ID:BIAS, e.g. 198:-100 or 198:-inf");
      }
    }
    return out;
  }

  /** Checks that every biased token is a token of {@code vocabulary}. */
  public void requireTokensOf(org.fewstep.text.Vocabulary vocabulary) {
    for (int id : logitBias.keySet()) {
      vocabulary.requireToken("logit-bias token", id);
    }
  }

  /** The same settings with another temperature. */
  public Sampling withTemperature(double t) {
    return new Sampling(t, topK, topP, minP, typicalP, minKeep, repeatPenalty, repeatLastN, frequencyPenalty,
        presencePenalty, logitBias, mirostat, mirostatTau, mirostatEta, temperatureFirst);
  }

  /**
   * A fresh chain for one sequence whose tokens so far ({@code history}, the prompt) count for the
   * penalties; {@code temperatureStage} replaces the fixed temperature when not null (EAD).
   */
  public SamplerChain chain(int[] history, TokenProcessor temperatureStage) {
    List<TokenProcessor> links = new ArrayList<>();
    TokenProcessor heat = temperatureStage != null ? temperatureStage : new Temperature(temperature);
    if (!logitBias.isEmpty()) {
      links.add(new LogitBias(logitBias));
    }
    if (repeatLastN != 0 && (repeatPenalty != 1 || frequencyPenalty != 0 || presencePenalty != 0)) {
      Penalties penalties = new Penalties(repeatLastN, repeatPenalty, frequencyPenalty, presencePenalty);
      for (int token : history) {
        penalties.accept(token);
      }
      links.add(penalties);
    }
    if (temperatureFirst) {
      links.add(heat);
    }
    if (topK > 0) {
      links.add(new TopK(topK));
    }
    if (typicalP < 1) {
      links.add(new TypicalP(typicalP, minKeep));
    }
    if (topP < 1) {
      links.add(new TopP(topP, minKeep));
    }
    if (minP > 0) {
      links.add(new MinP(minP, minKeep));
    }
    if (!temperatureFirst) {
      links.add(heat);
    }
    if (mirostat == 2) {
      links.add(new MirostatV2(mirostatTau, mirostatEta));
    }
    boolean onlyTopPMinP = topK == 0 && typicalP == 1 && mirostat == 0 && (topP < 1 || minP > 0);
    if (onlyTopPMinP && temperatureStage == null && temperature > 0) {
      // the processors before the truncations: bias, penalties and, when it comes first, the temperature
      int truncations = (topP < 1 ? 1 : 0) + (minP > 0 ? 1 : 0);
      int before = links.size() - truncations - (temperatureFirst ? 0 : 1);
      NucleusDraw draw = new NucleusDraw(topP, minKeep, minP, temperatureFirst ? 1.0 : temperature);
      return new SamplerChain(links, draw, before);
    }
    return new SamplerChain(links);
  }

  private static void probability(String what, double p) {
    if (!(p > 0 && p <= 1)) {
      throw BadInputException.of(what, p, "a number in (0, 1] (1 = off)");
    }
  }

  private static void requireFinite(String what, double v) {
    BadInputException.requireFinite(what, v);
  }
}
