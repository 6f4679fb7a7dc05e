package org.fewstep.constrain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON value with its object members put in the order {@link JsonSchema} generates them, so that a
 * valid document written in another order can be checked against, or timed on, the compiled
 * constraint: declared properties in schema order ($ref target, then allOf parts, then the schema's
 * own), then the others as they were. For anyOf/oneOf, the first branch whose types, required
 * properties, closed property set and const/enum the value fits is followed.
 */
public final class SchemaOrder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaOrder() {}

  /** {@code value} reordered for {@code schema} (the root of its document, for $ref). */
  public static JsonNode of(JsonNode schema, JsonNode value) {
    return reorder(schema, schema, value);
  }

  /**
   * {@code v} with its object members in the order the compiler generates them: declared properties in
   * schema order ($ref target, then allOf parts, then the schema's own), then the others as they were.
   * For anyOf/oneOf, the first branch whose required properties the value has and whose declared or
   * allowed properties cover its keys.
   */
  private static JsonNode reorder(JsonNode root, JsonNode schema, JsonNode v) {
    List<JsonNode> parts = new ArrayList<>();
    flatten(root, schema, parts);
    for (JsonNode part : parts) {
      for (String key : List.of("anyOf", "oneOf")) {
        if (part.has(key)) {
          JsonNode chosen = null;
          for (JsonNode b : part.get(key)) {
            if (fits(root, b, v) && chosen == null) {
              chosen = b;
            }
          }
          if (chosen != null) {
            List<JsonNode> more = new ArrayList<>(parts);
            more.remove(part);
            List<JsonNode> branch = new ArrayList<>();
            flatten(root, chosen, branch);
            more.addAll(parts.indexOf(part), branch);
            com.fasterxml.jackson.databind.node.ObjectNode rest = part.deepCopy();
            rest.remove(key);
            more.add(parts.indexOf(part), rest);
            com.fasterxml.jackson.databind.node.ObjectNode all = JSON.createObjectNode();
            all.set("allOf", JSON.valueToTree(more));
            return reorder(root, all, v);
          }
        }
      }
    }
    if (v.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
        for (JsonNode part : parts) {
          if (part.has("prefixItems") && i < part.get("prefixItems").size()) {
            item = part.get("prefixItems").get(i);
          } else if (part.has("items")) {
            item = part.get("items");
          }
        }
        out.add(reorder(root, item, v.get(i)));
      }
      return out;
    }
    if (!v.isObject()) {
      return v;
    }
    java.util.LinkedHashMap<String, JsonNode> declared = new java.util.LinkedHashMap<>();
    JsonNode additional = com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
    for (JsonNode part : parts) {
      part.path("properties").fields().forEachRemaining(e -> declared.putIfAbsent(e.getKey(), e.getValue()));
      if (part.has("additionalProperties")) {
        additional = part.get("additionalProperties");
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
    for (String name : declared.keySet()) {
      if (v.has(name)) {
        out.set(name, reorder(root, declared.get(name), v.get(name)));
      }
    }
    for (java.util.Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!out.has(name)) {
        out.set(name, reorder(root, additional, v.get(name)));
      }
    }
    return out;
  }

  private static void flatten(JsonNode root, JsonNode s, List<JsonNode> out) {
    if (!s.isObject()) {
      return;
    }
    if (s.has("$ref")) {
      flatten(root, root.at(s.get("$ref").textValue().substring(1)), out);
    }
    for (JsonNode p : s.path("allOf")) {
      flatten(root, p, out);
    }
    com.fasterxml.jackson.databind.node.ObjectNode own = s.deepCopy();
    own.remove(List.of("$ref", "allOf"));
    out.add(own);
  }

  private static boolean fits(JsonNode root, JsonNode branch, JsonNode v) {
    List<JsonNode> parts = new ArrayList<>();
    flatten(root, branch, parts);
    for (JsonNode p : parts) {
      if (p.has("type")) {
        String t = v.isObject() ? "object" : v.isArray() ? "array" : v.isTextual() ? "string" : v.isNull() ? "null"
            : v.isBoolean() ? "boolean" : "number";
        String types = p.get("type").toString();
        if (!types.contains(t) && !(t.equals("number") && types.contains("integer"))) {
          return false;
        }
      }
      for (JsonNode r : p.path("required")) {
        if (!v.has(r.textValue())) {
          return false;
        }
      }
      if (v.isObject() && p.path("additionalProperties").isBoolean() && !p.get("additionalProperties").booleanValue()) {
        for (java.util.Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
          if (!p.path("properties").has(it.next())) {
            return false;
          }
        }
      }
      if (p.has("const") && !p.get("const").equals(v) || p.has("enum") && !contains(p.get("enum"), v)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(JsonNode values, JsonNode v) {
    for (JsonNode x : values) {
      if (x.equals(v)) {
        return true;
      }
    }
    return false;
  }
}
