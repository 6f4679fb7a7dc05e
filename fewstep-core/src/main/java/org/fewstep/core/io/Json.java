package org.fewstep.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.fewstep.core.BadInputException;

/**
 * Reading JSON model and data files with errors that say where and what: a malformed file names
 * the line and column, a missing or mistyped field names its path ({@code means[2][0]}) and what was
 * expected.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The shared Jackson mapper (for writing JSON too). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static JsonNode read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new BadInputException("JSON file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses JSON text; {@code name} (a file name) is used in error messages. */
  public static JsonNode parse(String text, String name) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new BadInputException(name + ": empty JSON document");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BadInputException(name + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The required object field {@code key} of {@code object} (at path {@code where}). */
  public static JsonNode field(JsonNode object, String key, String where) {
    requireObject(object, where);
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      throw new BadInputException(where + ": the field \"" + key + "\" is missing");
    }
    return value;
  }

  /** Fails if {@code object} has a field outside {@code allowed} (catches typos). */
  public static void requireOnly(JsonNode object, String where, Set<String> allowed) {
    requireObject(object, where);
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!allowed.contains(key)) {
        throw new BadInputException(where + ": unknown field \"" + key + "\"; expected one of " + allowed);
      }
    }
  }

  public static void requireObject(JsonNode node, String where) {
    if (!node.isObject()) {
      throw BadInputException.of(where, abbreviate(node), "a JSON object");
    }
  }

  /** A finite number. */
  public static double number(JsonNode node, String where) {
    if (!node.isNumber()) {
      throw BadInputException.of(where, abbreviate(node), "a number");
    }
    double v = node.doubleValue();
    if (!Double.isFinite(v)) {
      throw BadInputException.of(where, abbreviate(node), "a finite number");
    }
    return v;
  }

  /** A text value. */
  public static String text(JsonNode node, String where) {
    if (!node.isTextual()) {
      throw BadInputException.of(where, abbreviate(node), "a string");
    }
    return node.textValue();
  }

  /** An array of finite numbers, of the given length unless {@code length < 0}. */
  public static double[] numbers(JsonNode node, String where, int length) {
    if (!node.isArray()) {
      throw BadInputException.of(where, abbreviate(node), "an array of numbers");
    }
    if (length >= 0 && node.size() != length) {
      throw BadInputException.of(where, "an array of " + node.size() + " numbers", "an array of " + length + " numbers");
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(node.get(i), where + "[" + i + "]");
    }
    return out;
  }

  /** An array of {@code rows} arrays of {@code cols} numbers each (negative = any, but equal). */
  public static double[][] matrix(JsonNode node, String where, int rows, int cols) {
    if (!node.isArray()) {
      throw BadInputException.of(where, abbreviate(node), "an array of arrays of numbers");
    }
    if (rows >= 0 && node.size() != rows) {
      throw BadInputException.of(where, "an array of " + node.size() + " rows", "an array of " + rows + " rows");
    }
    double[][] out = new double[node.size()][];
    int width = cols;
    for (int i = 0; i < out.length; i++) {
      out[i] = numbers(node.get(i), where + "[" + i + "]", width);
      width = out[i].length;
    }
    return out;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
