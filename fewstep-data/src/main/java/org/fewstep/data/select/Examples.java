package org.fewstep.data.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;

/**
 * Pools of {@link Example}s as JSON Lines, one object per line:
 * {@code {"id": "...", "text": "...", "labels": ["..."], "quality": 0.8}}. Only {@code text} is
 * required: {@code id} defaults to the line number, {@code labels} to none and {@code quality} to 1.
 * An instruction-tuning record ({@code instruction}, optional {@code input}, {@code output} or
 * {@code response}, as in Alpaca) is read as one text with the three parts on separate lines.
 */
public final class Examples {
  private static final Set<String> FIELDS =
      Set.of("id", "text", "labels", "quality", "instruction", "input", "output", "response");

  private Examples() {}

  /** Reads a pool; a malformed line, a missing text or a repeated id names the line. */
  public static List<Example> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("data file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Example> pool = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + ":" + (n + 1);
      Example example = parse(Json.parse(line, where), where, Integer.toString(n + 1));
      if (!ids.add(example.id())) {
        throw BadInputException.of(where + " id", example.id(), "an id not used by an earlier line");
      }
      pool.add(example);
    }
    if (pool.isEmpty()) {
      throw BadInputException.of("data file " + file, "no examples", "at least one JSON line");
    }
    return pool;
  }

  private static Example parse(JsonNode node, String where, String defaultId) {
    Json.requireOnly(node, where, FIELDS);
    String text;
    if (node.has("text")) {
      text = requireText(node.get("text"), where + " text");
    } else if (node.has("instruction")) {
      StringBuilder b = new StringBuilder(requireText(node.get("instruction"), where + " instruction"));
      for (String part : List.of("input", "output", "response")) {
        if (node.has(part) && !node.get(part).asText().isEmpty()) {
          b.append('\n').append(requireText(node.get(part), where + " " + part));
        }
      }
      text = b.toString();
    } else {
      throw new BadInputException(where + ": the field \"text\" (or \"instruction\") is missing");
    }
    String id = node.has("id") ? node.get("id").asText() : defaultId;
    List<String> labels = new ArrayList<>();
    if (node.has("labels")) {
      JsonNode array = node.get("labels");
      if (!array.isArray()) {
        throw BadInputException.of(where + " labels", array.toString(), "an array of strings");
      }
      for (JsonNode label : array) {
        labels.add(requireText(label, where + " labels"));
      }
    }
    double quality = 1;
    if (node.has("quality")) {
      JsonNode q = node.get("quality");
      if (!q.isNumber()) {
        throw BadInputException.of(where + " quality", q.toString(), "a number");
      }
      quality = q.asDouble();
    }
    return new Example(id, text, labels, quality);
  }

  private static String requireText(JsonNode node, String where) {
    if (!node.isTextual()) {
      throw BadInputException.of(where, node.toString(), "a string");
    }
    return node.asText();
  }

  /** Writes {@code examples} in the format {@link #read} takes (id, text, labels, quality). */
  public static void write(Path file, List<Example> examples) {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      for (Example e : examples) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", e.id());
        node.put("text", e.text());
        var labels = node.putArray("labels");
        e.labels().forEach(labels::add);
        node.put("quality", e.quality());
        out.write(Json.mapper().writeValueAsString(node));
        out.newLine();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file, ex);
    }
  }
}
