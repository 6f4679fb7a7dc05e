package org.fewstep.onnx.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;

/**
 * The generation settings a model folder ships in {@code generation_config.json}, with the defaults
 * transformers' {@code GenerationConfig} uses for absent fields (greedy unless {@code do_sample};
 * temperature 1, top-k 50, top-p 1, typical-p 1, no min-p, repetition penalty 1), and the special
 * ids, which fall back to {@code config.json}. {@link #sampler()} turns them into the fewstep decoder
 * spec that samples the same way.
 *
 * @param doSample          sampling (else greedy decoding)
 * @param temperature       logit divisor
 * @param topK              top-k (0: off)
 * @param topP              nucleus mass (1: off)
 * @param minP              min-p (0: off)
 * @param typicalP          locally typical mass (1: off)
 * @param repetitionPenalty CTRL repetition penalty over the whole sequence (1: off)
 * @param maxNewTokens      {@code max_new_tokens}, if given
 * @param eosTokenIds       the end-of-sequence ids (transformers allows several; the first is the
 *                          vocabulary's end token, and {@code generate} ends a completion at any of
 *                          them through {@code Generation.endTokens})
 * @param bosTokenId        the start-of-sequence id, or -1
 */
public record GenerationDefaults(boolean doSample, double temperature, int topK, double topP, double minP,
    double typicalP, double repetitionPenalty, OptionalInt maxNewTokens, List<Integer> eosTokenIds, int bosTokenId) {

  public GenerationDefaults {
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /**
   * Reads {@code generationConfig} (absent: transformers' defaults) with the special ids of
   * {@code config} ({@code config.json}, already parsed) as fallbacks.
   */
  public static GenerationDefaults read(Path generationConfig, JsonNode config, Path configFile) {
    JsonNode g = Files.isRegularFile(generationConfig) ? Json.read(generationConfig)
        : Json.mapper().createObjectNode();
    String at = generationConfig.toString();
    Json.requireObject(g, at);
    boolean doSample = flag(g, "do_sample", false, at);
    double temperature = real(g, "temperature", 1.0, 0, at);
    int topK = (int) real(g, "top_k", 50, 0, at);
    double topP = real(g, "top_p", 1.0, 0, at);
    double minP = real(g, "min_p", 0.0, 0, at);
    double typicalP = real(g, "typical_p", 1.0, 0, at);
    double penalty = real(g, "repetition_penalty", 1.0, 0, at);
    if (topP > 1 || minP > 1 || typicalP > 1) {
      throw BadInputException.of(at + ": top_p / min_p / typical_p", topP + " / " + minP + " / " + typicalP,
          "values in [0, 1]");
    }
    OptionalInt maxNew = g.hasNonNull("max_new_tokens")
        ? OptionalInt.of((int) real(g, "max_new_tokens", 0, 1, at)) : OptionalInt.empty();
    List<Integer> eos = ids(g, "eos_token_id", at);
    if (eos.isEmpty()) {
      eos = ids(config, "eos_token_id", configFile.toString());
    }
    List<Integer> bos = ids(g, "bos_token_id", at);
    if (bos.isEmpty()) {
      bos = ids(config, "bos_token_id", configFile.toString());
    }
    return new GenerationDefaults(doSample, temperature, topK, topP, minP, typicalP, penalty, maxNew, eos,
        bos.isEmpty() ? -1 : bos.get(0));
  }

  private static boolean flag(JsonNode node, String key, boolean fallback, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw BadInputException.of(where + ": " + key, v, "true or false");
    }
    return v.booleanValue();
  }

  private static double real(JsonNode node, String key, double fallback, double min, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    double x = Json.number(v, where + ": " + key);
    if (x < min) {
      throw BadInputException.of(where + ": " + key, v, "a number >= " + min);
    }
    return x;
  }

  /** A token id or a list of them ({@code eos_token_id: [1, 2]}); empty when absent or null. */
  static List<Integer> ids(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    List<Integer> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    for (JsonNode x : v.isArray() ? v : List.of(v)) {
      if (!x.isIntegralNumber() || !x.canConvertToInt() || x.asInt() < 0) {
        throw BadInputException.of(where + ": " + key, v, "a token id >= 0 or a list of them");
      }
      out.add(x.asInt());
    }
    return out;
  }

  /** The first end-of-sequence id, or -1. */
  public int eosTokenId() {
    return eosTokenIds.isEmpty() ? -1 : eosTokenIds.get(0);
  }

  /**
   * The fewstep decoder spec that decodes as transformers' {@code generate} would with these settings:
   * {@code greedy}, or {@code sample:...} with the temperature applied before the truncations
   * ({@code temperature-first}, transformers' order) and the repetition penalty over the whole
   * sequence ({@code repeat-last-n=-1}).
   */
  public String sampler() {
    List<String> parts = new ArrayList<>();
    if (!doSample) {
      if (repetitionPenalty == 1) {
        return "greedy";
      }
      parts.add("temperature=0");
    } else {
      if (temperature != 1) {
        parts.add("temperature=" + number(temperature));
      }
      if (topK > 0) {
        parts.add("top-k=" + topK);
      }
      if (topP < 1) {
        parts.add("top-p=" + number(topP));
      }
      if (minP > 0) {
        parts.add("min-p=" + number(minP));
      }
      if (typicalP < 1) {
        parts.add("typical-p=" + number(typicalP));
      }
      if (temperature != 1 && parts.size() > 1) {
        parts.add("temperature-first=true");
      }
    }
    if (repetitionPenalty != 1) {
      parts.add("repeat-penalty=" + number(repetitionPenalty));
      parts.add("repeat-last-n=-1");
    }
    return parts.isEmpty() ? "sample" : "sample:" + String.join(",", parts);
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e9 ? String.valueOf((long) x) : String.format(Locale.ROOT, "%s", x);
  }
}
