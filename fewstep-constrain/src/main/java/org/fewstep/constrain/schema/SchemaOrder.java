package org.fewstep.constrain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Object members put in the order {@link JsonSchema} generates them. The compiled grammar fixes the
 * order of an object's properties (the schema's), so a valid instance written in another order is
 * rejected; tests and benchmarks use this to write their instances the way a constrained model would.
 */
public final class SchemaOrder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaOrder() {}

  /**
   * A valid instance {@code v} of {@code schema} (a whole schema document, the root of its {@code $ref}s)
   * with its object members in the order the compiler generates them: declared properties in
   * schema order ($ref target, then allOf parts, then the schema's own), then the others as they were.
   * For anyOf/oneOf, the first branch whose required properties the value has and whose declared or
   * allowed properties cover its keys.
   */
  public static JsonNode reorder(JsonNode schema, JsonNode v) {
    return reorder(schema, schema, v);
  }

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
            ObjectNode rest = part.deepCopy();
            rest.remove(key);
            more.add(parts.indexOf(part), rest);
            ObjectNode all = JSON.createObjectNode();
            all.set("allOf", JSON.valueToTree(more));
            return reorder(root, all, v);
          }
        }
      }
    }
    if (v.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = BooleanNode.TRUE;
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
    LinkedHashMap<String, JsonNode> declared = new LinkedHashMap<>();
    JsonNode additional = BooleanNode.TRUE;
    for (JsonNode part : parts) {
      part.path("properties").fields().forEachRemaining(e -> declared.putIfAbsent(e.getKey(), e.getValue()));
      if (part.has("additionalProperties")) {
        additional = part.get("additionalProperties");
      }
    }
    ObjectNode out = JSON.createObjectNode();
    for (String name : declared.keySet()) {
      if (v.has(name)) {
        out.set(name, reorder(root, declared.get(name), v.get(name)));
      }
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
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
    ObjectNode own = s.deepCopy();
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
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
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
