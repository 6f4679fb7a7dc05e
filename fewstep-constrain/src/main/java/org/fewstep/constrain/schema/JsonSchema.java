package org.fewstep.constrain.schema;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.Intersection;
import org.fewstep.constrain.grammar.Grammar;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.Compiled;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Pattern;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.core.BadInputException;

/**
 * JSON Schema (draft 2020-12) compiled to a {@link Grammar} of the JSON texts that satisfy it, for
 * constrained generation (docs/constrain.md, "JSON Schema").
 *
 * <p>Keywords: {@code type}, {@code enum}, {@code const}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code prefixItems}, {@code minItems}, {@code maxItems},
 * {@code minLength}, {@code maxLength}, {@code pattern}, {@code format} (date, time, date-time, email,
 * uuid, uri), {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum},
 * {@code anyOf}, {@code oneOf}, {@code allOf}, and {@code $ref} to any JSON pointer in the document
 * ({@code $defs}, recursion included); annotations are ignored. Any other keyword, a malformed value
 * or a schema no value satisfies is a {@link BadInputException} naming its location as a JSON pointer.
 *
 * <p>What is generated is a subset of the valid documents, chosen so that every output validates:
 * <ul>
 *   <li>objects list their properties in the schema's order, then additional ones (whose names
 *       differ from the declared ones);
 *   <li>{@code oneOf} is an alternation, accepted only when its branches provably exclude each
 *       other (different types, or a required property with different {@code const}/{@code enum}
 *       values); otherwise use {@code anyOf};
 *   <li>numbers with bounds are written without exponent; integers without fraction or exponent;
 *   <li>{@code enum}/{@code const} values are written as listed (their strings as Jackson escapes
 *       them), kept when their type is allowed; other keywords next to {@code enum} are not
 *       re-checked against the values;
 *   <li>white space between tokens follows the policy: {@link #COMPACT}, {@link #FLEXIBLE} or any
 *       regular expression; none before or after the value.
 * </ul>
 * {@code allOf} is merged keyword by keyword (properties per name, bounds tightened, patterns
 * intersected), at most one of its parts carrying {@code anyOf}/{@code oneOf}.
 */
public final class JsonSchema {
  /** No white space between tokens. */
  public static final String COMPACT = "";
  /**
   * JSON white space between tokens, at most 20 characters per gap: room for pretty-printing, while a
   * model cannot spend its whole budget on spaces (write {@code [ \t\n\r]*} to allow any amount).
   */
  public static final String FLEXIBLE = "[ \\t\\n\\r]{0,20}";

  /** The keywords compiled. */
  static final Set<String> KEYWORDS = Set.of("type", "enum", "const", "properties", "required",
      "additionalProperties", "items", "prefixItems", "minItems", "maxItems", "minLength", "maxLength", "pattern",
      "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref",
      "$defs", "definitions");
  /** Keywords that do not constrain the value. */
  static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "$anchor", "title", "description",
      "default", "examples", "deprecated", "readOnly", "writeOnly", "contentEncoding", "contentMediaType");
  private static final List<String> TYPES = List.of("null", "boolean", "object", "array", "number", "integer", "string");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final String source;
  private final Expr ws;
  private final Map<String, Expr> rules = new LinkedHashMap<>();
  private final Deque<String> pendingRefs = new ArrayDeque<>();
  private final Map<String, ByteAutomaton> strings = new HashMap<>();
  private int fresh;

  private JsonSchema(JsonNode root, String source, String whitespace) {
    this.root = root;
    this.source = source;
    if (whitespace == null) {
      throw BadInputException.of("whitespace", null, "a regular expression (\"\" for none)");
    }
    if (!whitespace.isEmpty()) {
      Regex.fullMatch(whitespace); // a malformed pattern fails here, with its offset
    }
    this.ws = whitespace.isEmpty() ? null : new Pattern(whitespace);
  }

  /**
   * The grammar of the JSON texts {@code schema} accepts.
   *
   * @param source     the file or a short name, for messages
   * @param whitespace the white space allowed between tokens, a regular expression ({@link #COMPACT},
   *                   {@link #FLEXIBLE}, ...)
   */
  public static Grammar compile(JsonNode schema, String source, String whitespace) {
    JsonSchema c = new JsonSchema(schema, source, whitespace);
    c.rules.put("#", new Seq(List.of()));
    c.rules.put("#", c.value(schema, "#"));
    while (!c.pendingRefs.isEmpty()) {
      String ptr = c.pendingRefs.pop();
      c.rules.put(ptr, c.value(c.resolve(ptr, ptr), ptr));
    }
    return new Grammar(c.rules, "#", source);
  }

  /** The grammar of the schema in {@code file} (JSON). */
  public static Grammar read(Path file, String whitespace) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of("JSON Schema file", file, "an existing JSON file");
    }
    JsonNode schema;
    try {
      schema = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BadInputException("JSON Schema file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    return compile(schema, file.getFileName().toString(), whitespace);
  }

  /** The white space policy a user names: {@code compact}, {@code flexible}, or a regular expression. */
  public static String whitespace(String name) {
    return switch (name) {
      case "compact" -> COMPACT;
      case "flexible" -> FLEXIBLE;
      default -> name;
    };
  }

  // ---------------------------------------------------------------- schemas

  private BadInputException error(String at, String what, Object value, String expected) {
    return BadInputException.of(source + ": JSON Schema at " + at + ": " + what, value, expected);
  }

  private BadInputException empty(String at, String why) {
    return new Empty(source + ": JSON Schema at " + at + " admits no value: " + why);
  }

  /** A (sub)schema no value satisfies: an error, unless it is one branch of anyOf/oneOf. */
  private static final class Empty extends BadInputException {
    Empty(String message) {
      super(message);
    }
  }

  /** The texts of the values {@code s} accepts. */
  private Expr value(JsonNode s, String at) {
    if (s.isBoolean()) {
      if (!s.booleanValue()) {
        throw empty(at, "the schema is false");
      }
      return any();
    }
    if (!s.isObject()) {
      throw error(at, "schema", s, "an object or a boolean");
    }
    checkKeywords(s, at);
    if (s.has("$ref") && assertions(s).size() == 1) {
      return reference(text(s, "$ref", at), at);
    }
    if (s.has("$ref") || s.has("allOf")) {
      s = merge(conjuncts(s, at, new LinkedHashSet<>()), at);
    }
    if (s.has("anyOf") && s.has("oneOf")) {
      return value(merge(List.of(without(s, "oneOf"), only(s, "oneOf")), at), at);
    }
    for (String key : List.of("anyOf", "oneOf")) {
      if (s.has(key)) {
        JsonNode branches = s.get(key);
        if (!branches.isArray() || branches.isEmpty()) {
          throw error(at, key, branches, "a non-empty array of schemas");
        }
        ObjectNode rest = without(s, key);
        List<JsonNode> merged = new ArrayList<>();
        List<Expr> options = new ArrayList<>();
        Empty none = null;
        for (int i = 0; i < branches.size(); i++) {
          JsonNode b = branches.get(i);
          try { // a branch that admits no value (given the rest of the schema) is left out
            JsonNode m = assertions(rest).isEmpty() ? b : merge(List.of(rest, b), at + "/" + key + "/" + i);
            options.add(value(m, at + "/" + key + "/" + i));
            merged.add(m);
          } catch (Empty e) {
            none = e;
          }
        }
        if (options.isEmpty()) {
          throw none;
        }
        if (key.equals("oneOf")) {
          checkDisjoint(merged, at + "/oneOf");
        }
        return options.size() == 1 ? options.get(0) : new Alt(options);
      }
    }
    Set<String> types = types(s, at);
    if (s.has("enum") || s.has("const")) {
      return literals(s, types, at);
    }
    if (types == null) {
      return any();
    }
    List<Expr> options = new ArrayList<>();
    for (String t : types) {
      if (t.equals("integer") && types.contains("number")) {
        continue;
      }
      options.add(switch (t) {
        case "null" -> new Literal("null");
        case "boolean" -> new Alt(List.of(new Literal("true"), new Literal("false")));
        case "string" -> string(s, at);
        case "integer" -> integer(s, at);
        case "number" -> number(s, at);
        case "array" -> array(s, at);
        default -> object(s, at);
      });
    }
    return options.size() == 1 ? options.get(0) : new Alt(options);
  }

  private void checkKeywords(JsonNode s, String at) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYWORDS.contains(k) && !ANNOTATIONS.contains(k)) {
        throw error(at, "keyword", k, "a keyword fewstep compiles (" + String.join(", ", new java.util.TreeSet<>(KEYWORDS))
            + ") or an annotation");
      }
    }
  }

  /** The keywords of {@code s} that constrain the value ($defs and annotations left out). */
  private static List<String> assertions(JsonNode s) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ANNOTATIONS.contains(k) && !k.equals("$defs") && !k.equals("definitions")) {
        out.add(k);
      }
    }
    return out;
  }

  private static ObjectNode without(JsonNode s, String... keys) {
    ObjectNode out = ((ObjectNode) s).deepCopy();
    out.remove(List.of(keys));
    return out;
  }

  private static ObjectNode only(JsonNode s, String key) {
    ObjectNode out = NODES.objectNode();
    out.set(key, s.get(key));
    return out;
  }

  // ---------------------------------------------------------------- references

  /** A rule for the schema at {@code ref}, compiled once. */
  private Expr reference(String ref, String at) {
    resolve(ref, at);
    if (!rules.containsKey(ref) && !pendingRefs.contains(ref)) {
      pendingRefs.add(ref);
    }
    return new Ref(ref, 0, 0);
  }

  /** The schema at a reference inside this document ({@code #} or {@code #/json/pointer}). */
  private JsonNode resolve(String ref, String at) {
    if (!ref.startsWith("#") || ref.length() > 1 && ref.charAt(1) != '/') {
      throw error(at, "$ref", ref, "a reference inside this document: # or #/a/json/pointer");
    }
    JsonNode target;
    try {
      target = root.at(JsonPointer.compile(percentDecode(ref.substring(1), at)));
    } catch (IllegalArgumentException e) {
      throw error(at, "$ref", ref, "a JSON pointer (" + e.getMessage() + ")");
    }
    if (target.isMissingNode()) {
      throw error(at, "$ref", ref, "a location that exists in the document");
    }
    return target;
  }

  private String percentDecode(String s, String at) {
    if (!s.contains("%")) {
      return s;
    }
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw error(at, "$ref", s, "valid percent-encoding");
    }
  }

  // ---------------------------------------------------------------- allOf

  /** The schemas whose conjunction {@code s} is: its $ref target and allOf parts, flattened, then its own keywords. */
  private List<JsonNode> conjuncts(JsonNode s, String at, Set<String> following) {
    List<JsonNode> out = new ArrayList<>();
    if (s.isBoolean()) {
      if (!s.booleanValue()) {
        throw empty(at, "allOf holds the schema false");
      }
      return out;
    }
    if (!s.isObject()) {
      throw error(at, "schema", s, "an object or a boolean");
    }
    checkKeywords(s, at);
    if (s.has("$ref")) {
      String ref = text(s, "$ref", at);
      if (!following.add(ref)) {
        throw error(at, "$ref", ref, "a reference that does not lead back to itself through $ref and allOf alone");
      }
      out.addAll(conjuncts(resolve(ref, at), ref, following));
      following.remove(ref);
    }
    if (s.has("allOf")) {
      JsonNode parts = s.get("allOf");
      if (!parts.isArray() || parts.isEmpty()) {
        throw error(at, "allOf", parts, "a non-empty array of schemas");
      }
      for (int i = 0; i < parts.size(); i++) {
        out.addAll(conjuncts(parts.get(i), at + "/allOf/" + i, following));
      }
    }
    ObjectNode rest = without(s, "$ref", "allOf");
    if (!assertions(rest).isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  /** One schema with the keywords of all {@code parts} (none holding $ref or allOf at its top). */
  private ObjectNode merge(List<JsonNode> parts, String at) {
    List<JsonNode> flat = new ArrayList<>();
    for (JsonNode p : parts) {
      flat.addAll(conjuncts(p, at, new LinkedHashSet<>()));
    }
    ObjectNode out = NODES.objectNode();
    for (JsonNode p : flat) {
      mergeInto(out, (ObjectNode) p, at);
    }
    return out;
  }

  private void mergeInto(ObjectNode a, ObjectNode b, String at) {
    boolean objects = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      JsonNode old = a.get(k);
      if (ANNOTATIONS.contains(k) || k.equals("$defs") || k.equals("definitions")) {
        continue;
      }
      if (k.equals("properties") || k.equals("additionalProperties")) {
        objects = true;
        continue;
      }
      if (k.equals("enum") || k.equals("const")) {
        List<JsonNode> theirs = values(v, k, at);
        List<JsonNode> keep = new ArrayList<>();
        if (a.has("enum") || a.has("const")) {
          for (JsonNode x : values(a, at)) {
            if (theirs.contains(x)) {
              keep.add(x);
            }
          }
        } else {
          keep.addAll(theirs);
        }
        if (keep.isEmpty()) {
          throw empty(at, "allOf parts share no enum/const value");
        }
        a.remove("const");
        ArrayNode arr = a.putArray("enum");
        keep.forEach(arr::add);
        continue;
      }
      if (old == null) {
        a.set(k, v);
        continue;
      }
      switch (k) {
        case "type" -> {
          Set<String> t = new LinkedHashSet<>(typeNames(old, at));
          Set<String> u = typeNames(v, at);
          Set<String> both = new LinkedHashSet<>();
          for (String x : t) {
            if (u.contains(x) || x.equals("integer") && u.contains("number")) {
              both.add(x);
            } else if (x.equals("number") && u.contains("integer")) {
              both.add("integer");
            }
          }
          if (both.isEmpty()) {
            throw empty(at, "allOf asks for types " + old + " and " + v);
          }
          ArrayNode arr = a.putArray("type");
          both.forEach(arr::add);
        }
        case "required" -> {
          Set<String> names = new LinkedHashSet<>(names(old, "required", at));
          names.addAll(names(v, "required", at));
          ArrayNode arr = a.putArray("required");
          names.forEach(arr::add);
        }
        case "minLength", "minItems", "minimum", "exclusiveMinimum" ->
            a.set(k, decimal(old, k, at).compareTo(decimal(v, k, at)) >= 0 ? old : v);
        case "maxLength", "maxItems", "maximum", "exclusiveMaximum" ->
            a.set(k, decimal(old, k, at).compareTo(decimal(v, k, at)) <= 0 ? old : v);
        case "pattern" -> {
          ArrayNode arr = NODES.arrayNode();
          for (JsonNode x : List.of(old, v)) {
            if (x.isArray()) {
              arr.addAll((ArrayNode) x);
            } else {
              arr.add(x);
            }
          }
          a.set("pattern", arr);
        }
        case "items" -> a.set("items", conjunction(old, v));
        default -> {
          if (!old.equals(v)) {
            throw error(at, "allOf", k, "parts that do not both carry " + k + " with different values (fewstep cannot merge them)");
          }
        }
      }
    }
    if (objects) {
      mergeObjects(a, b);
    }
  }

  /** Properties and additionalProperties of {@code a} and {@code b} together: per name, both schemas apply. */
  private static void mergeObjects(ObjectNode a, ObjectNode b) {
    JsonNode pa = a.has("properties") ? a.get("properties") : NODES.objectNode();
    JsonNode pb = b.has("properties") ? b.get("properties") : NODES.objectNode();
    JsonNode aa = a.has("additionalProperties") ? a.get("additionalProperties") : BooleanNode.TRUE;
    JsonNode ab = b.has("additionalProperties") ? b.get("additionalProperties") : BooleanNode.TRUE;
    ObjectNode props = NODES.objectNode();
    Set<String> names = new LinkedHashSet<>();
    pa.fieldNames().forEachRemaining(names::add);
    pb.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      props.set(n, conjunction(pa.has(n) ? pa.get(n) : aa, pb.has(n) ? pb.get(n) : ab));
    }
    a.set("properties", props);
    JsonNode additional = conjunction(aa, ab);
    if (additional.equals(BooleanNode.TRUE)) {
      a.remove("additionalProperties");
    } else {
      a.set("additionalProperties", additional);
    }
  }

  private static JsonNode conjunction(JsonNode x, JsonNode y) {
    if (x.equals(BooleanNode.TRUE) || x.equals(y)) {
      return y;
    }
    if (y.equals(BooleanNode.TRUE)) {
      return x;
    }
    if (x.equals(BooleanNode.FALSE) || y.equals(BooleanNode.FALSE)) {
      return BooleanNode.FALSE;
    }
    ObjectNode out = NODES.objectNode();
    out.putArray("allOf").add(x).add(y);
    return out;
  }

  // ---------------------------------------------------------------- oneOf

  /** Throws unless every two branches provably accept no common value. */
  private void checkDisjoint(List<JsonNode> branches, String at) {
    List<ObjectNode> flat = new ArrayList<>();
    for (JsonNode b : branches) {
      flat.add(b.isBoolean() ? (ObjectNode) null : merge(List.of(b), at));
    }
    for (int i = 0; i < flat.size(); i++) {
      for (int j = i + 1; j < flat.size(); j++) {
        if (flat.get(i) == null || flat.get(j) == null || !disjoint(flat.get(i), flat.get(j), at)) {
          throw error(at, "branches " + i + " and " + j, "possibly overlapping",
              "oneOf branches that exclude each other by type or by a required property with different const/enum "
                  + "values (fewstep generates oneOf as an alternation; write anyOf if overlap is fine)");
        }
      }
    }
  }

  private boolean disjoint(ObjectNode a, ObjectNode b, String at) {
    Set<String> ta = types(a, at);
    Set<String> tb = types(b, at);
    if (ta != null && tb != null && ta.stream().noneMatch(t -> overlaps(t, tb))) {
      return true;
    }
    List<JsonNode> va = a.has("enum") || a.has("const") ? values(a, at) : null;
    List<JsonNode> vb = b.has("enum") || b.has("const") ? values(b, at) : null;
    if (va != null && vb != null && va.stream().noneMatch(vb::contains)) {
      return true;
    }
    if (ta == null || tb == null || !ta.equals(Set.of("object")) && !tb.equals(Set.of("object"))) {
      return false;
    }
    Set<String> ra = a.has("required") ? new LinkedHashSet<>(names(a.get("required"), "required", at)) : Set.of();
    Set<String> rb = b.has("required") ? new LinkedHashSet<>(names(b.get("required"), "required", at)) : Set.of();
    if (ra.stream().anyMatch(p -> forbids(b, p)) || rb.stream().anyMatch(p -> forbids(a, p))) {
      return true;
    }
    for (String p : ra) {
      if (rb.contains(p) && a.path("properties").has(p) && b.path("properties").has(p)) {
        JsonNode sa = a.get("properties").get(p);
        JsonNode sb = b.get("properties").get(p);
        if (sa.isObject() && sb.isObject()) {
          ObjectNode ma = merge(List.of(sa), at);
          ObjectNode mb = merge(List.of(sb), at);
          if ((ma.has("enum") || ma.has("const")) && (mb.has("enum") || mb.has("const"))
              && values(ma, at).stream().noneMatch(values(mb, at)::contains)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether object schema {@code s} rules out property {@code p}. */
  private static boolean forbids(ObjectNode s, String p) {
    JsonNode declared = s.path("properties").get(p);
    return declared != null ? declared.equals(BooleanNode.FALSE)
        : s.has("additionalProperties") && s.get("additionalProperties").equals(BooleanNode.FALSE);
  }

  private static boolean overlaps(String t, Set<String> others) {
    return others.contains(t) || t.equals("integer") && others.contains("number")
        || t.equals("number") && others.contains("integer");
  }

  // ---------------------------------------------------------------- types and literals

  /** The types {@code s} allows: declared, or inferred from its keywords; null for any value. */
  private Set<String> types(JsonNode s, String at) {
    if (s.has("type")) {
      return typeNames(s.get("type"), at);
    }
    Set<String> out = new LinkedHashSet<>();
    if (has(s, "properties", "required", "additionalProperties")) {
      out.add("object");
    }
    if (has(s, "items", "prefixItems", "minItems", "maxItems")) {
      out.add("array");
    }
    if (has(s, "minLength", "maxLength", "pattern", "format")) {
      out.add("string");
    }
    if (has(s, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
      out.add("number");
    }
    return out.isEmpty() ? null : out;
  }

  private static boolean has(JsonNode s, String... keys) {
    for (String k : keys) {
      if (s.has(k)) {
        return true;
      }
    }
    return false;
  }

  private Set<String> typeNames(JsonNode t, String at) {
    Set<String> out = new LinkedHashSet<>();
    if (t.isTextual()) {
      out.add(t.textValue());
    } else if (t.isArray() && !t.isEmpty()) {
      t.forEach(x -> out.add(x.isTextual() ? x.textValue() : "?"));
    } else {
      throw error(at, "type", t, "a type name or a non-empty array of them (" + String.join(", ", TYPES) + ")");
    }
    for (String x : out) {
      if (!TYPES.contains(x)) {
        throw error(at, "type", t, "type names among " + String.join(", ", TYPES));
      }
    }
    return out;
  }

  private List<JsonNode> values(JsonNode s, String at) {
    return s.has("const") ? values(s.get("const"), "const", at) : values(s.get("enum"), "enum", at);
  }

  private List<JsonNode> values(JsonNode v, String key, String at) {
    if (key.equals("const")) {
      return List.of(v);
    }
    if (!v.isArray() || v.isEmpty()) {
      throw error(at, "enum", v, "a non-empty array of values");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  /** The {@code enum} or {@code const} values of an allowed type, each written as a literal. */
  private Expr literals(JsonNode s, Set<String> types, String at) {
    List<Expr> options = new ArrayList<>();
    for (JsonNode v : values(s, at)) {
      if (types == null || types.contains(typeOf(v)) || typeOf(v).equals("integer") && types.contains("number")) {
        options.add(literal(v));
      }
    }
    if (options.isEmpty()) {
      throw empty(at, "no enum/const value has an allowed type " + types);
    }
    return options.size() == 1 ? options.get(0) : new Alt(options);
  }

  private static String typeOf(JsonNode v) {
    if (v.isNull()) {
      return "null";
    } else if (v.isBoolean()) {
      return "boolean";
    } else if (v.isTextual()) {
      return "string";
    } else if (v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0) {
      return "integer";
    } else if (v.isNumber()) {
      return "number";
    } else if (v.isArray()) {
      return "array";
    }
    return "object";
  }

  /** {@code v} as a JSON text, white space between its tokens as the policy allows. */
  private Expr literal(JsonNode v) {
    if (v.isObject()) {
      List<Expr> members = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!members.isEmpty()) {
          members.add(comma());
        }
        members.add(seq(new Literal(TextNode.valueOf(e.getKey()).toString()), ws, new Literal(":"), ws, literal(e.getValue())));
      }
      return seq(new Literal("{"), ws, seq(members.toArray(Expr[]::new)), ws, new Literal("}"));
    }
    if (v.isArray()) {
      List<Expr> items = new ArrayList<>();
      for (JsonNode x : v) {
        if (!items.isEmpty()) {
          items.add(comma());
        }
        items.add(literal(x));
      }
      return seq(new Literal("["), ws, seq(items.toArray(Expr[]::new)), ws, new Literal("]"));
    }
    return new Literal(v.toString());
  }

  // ---------------------------------------------------------------- strings

  private Expr string(JsonNode s, String at) {
    int min = count(s, "minLength", at, 0);
    int max = count(s, "maxLength", at, -1);
    if (max >= 0 && min > max) {
      throw empty(at, "minLength " + min + " > maxLength " + max);
    }
    List<String> patterns = new ArrayList<>();
    if (s.has("pattern")) {
      JsonNode p = s.get("pattern");
      for (JsonNode x : p.isArray() ? p : List.of(p)) {
        if (!x.isTextual()) {
          throw error(at, "pattern", p, "a regular expression (a string)");
        }
        patterns.add(x.textValue());
      }
    }
    String format = null;
    if (s.has("format")) {
      format = text(s, "format", at);
      try {
        format = Formats.regex(format);
      } catch (IllegalArgumentException e) {
        throw error(at, "format", s.get("format").textValue(), "one of date, time, date-time, email, uuid, uri");
      }
    }
    boolean counted = min > 0 || max >= 0;
    if (patterns.isEmpty() && format == null && !counted) {
      return anyString();
    }
    String key = patterns + "|" + format + "|" + min + "," + max;
    ByteAutomaton a = strings.get(key);
    if (a == null) {
      List<ByteAutomaton> parts = new ArrayList<>();
      for (String p : patterns) {
        parts.add(compile(p, true, at, "pattern"));
      }
      if (format != null) {
        parts.add(compile(format, false, at, "format"));
      }
      if (counted) {
        parts.add(new JsonStringChars(min, max));
      }
      a = parts.get(0);
      for (int i = 1; i < parts.size(); i++) {
        a = new Intersection(a, parts.get(i));
      }
      a = new Quoted(a);
      if (a.start() == ByteAutomaton.DEAD) {
        throw empty(at, "no string satisfies pattern " + patterns + ", format " + s.get("format")
            + " and length " + min + ".." + (max < 0 ? "" : max));
      }
      strings.put(key, a);
    }
    return new Compiled(a);
  }


  /**
   * Any JSON string: a lexeme of its own, read by {@link JsonStringChars}, so that token masks inside
   * it count plain characters instead of walking them ({@link ByteAutomaton#plainRoom}); one
   * automaton, and so one lexeme, for all of a schema's plain strings.
   */
  private Expr anyString() {
    return new Compiled(strings.computeIfAbsent("any string", k -> new Quoted(new JsonStringChars(0, -1))));
  }

  private ByteAutomaton compile(String regex, boolean search, String at, String what) {
    try {
      return Regex.jsonStringBody(regex, search);
    } catch (BadInputException e) {
      throw new BadInputException(source + ": JSON Schema at " + at + ": " + what + ": " + e.getMessage(), e);
    }
  }

  /** A string whose value is none of {@code names}, as a JSON string literal. */
  private ByteAutomaton otherName(Set<String> names) {
    String key = "other than " + names;
    return strings.computeIfAbsent(key, k -> Quoted.open(Regex.jsonStringBody(otherThan(names), false)));
  }

  /**
   * A regular expression for the strings that are none of {@code names}: over the trie of the
   * names, each prefix followed by a character that leaves the trie (then anything), and each
   * prefix that is not itself a name.
   */
  static String otherThan(Set<String> names) {
    Trie root = new Trie();
    for (String n : names) {
      Trie t = root;
      for (int cp : n.codePoints().toArray()) {
        t = t.children.computeIfAbsent(cp, c -> new Trie());
      }
      t.word = true;
    }
    List<String> options = new ArrayList<>();
    root.options("", options);
    return String.join("|", options);
  }

  private static final class Trie {
    final TreeMap<Integer, Trie> children = new TreeMap<>();
    boolean word;

    void options(String prefix, List<String> out) {
      if (!word) {
        out.add(prefix.isEmpty() ? "[^]{0}" : prefix);
      }
      StringBuilder leave = new StringBuilder("[^");
      children.keySet().forEach(c -> leave.append(hex(c)));
      out.add(prefix + leave + "][^]*");
      children.forEach((c, t) -> t.options(prefix + hex(c), out));
    }

    private static String hex(int cp) {
      return "\\u{" + Integer.toHexString(cp) + "}";
    }
  }

  // ---------------------------------------------------------------- numbers

  private Expr integer(JsonNode s, String at) {
    BigInteger lo = null;
    BigInteger hi = null;
    if (s.has("minimum")) {
      lo = decimal(s.get("minimum"), "minimum", at).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }
    if (s.has("exclusiveMinimum")) {
      BigInteger x = decimal(s.get("exclusiveMinimum"), "exclusiveMinimum", at).setScale(0, RoundingMode.FLOOR)
          .toBigIntegerExact().add(BigInteger.ONE);
      lo = lo == null ? x : lo.max(x);
    }
    if (s.has("maximum")) {
      hi = decimal(s.get("maximum"), "maximum", at).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }
    if (s.has("exclusiveMaximum")) {
      BigInteger x = decimal(s.get("exclusiveMaximum"), "exclusiveMaximum", at).setScale(0, RoundingMode.CEILING)
          .toBigIntegerExact().subtract(BigInteger.ONE);
      hi = hi == null ? x : hi.min(x);
    }
    String re = lo == null && hi == null ? NumberPatterns.ANY_INTEGER : NumberPatterns.integer(lo, hi);
    if (re == null) {
      throw empty(at, "no integer lies in [" + lo + ", " + hi + "]");
    }
    return new Pattern(re);
  }

  private Expr number(JsonNode s, String at) {
    BigDecimal lo = null;
    BigDecimal hi = null;
    boolean loEx = false;
    boolean hiEx = false;
    if (s.has("minimum")) {
      lo = decimal(s.get("minimum"), "minimum", at);
    }
    if (s.has("exclusiveMinimum")) {
      BigDecimal x = decimal(s.get("exclusiveMinimum"), "exclusiveMinimum", at);
      if (lo == null || x.compareTo(lo) >= 0) {
        lo = x;
        loEx = true;
      }
    }
    if (s.has("maximum")) {
      hi = decimal(s.get("maximum"), "maximum", at);
    }
    if (s.has("exclusiveMaximum")) {
      BigDecimal x = decimal(s.get("exclusiveMaximum"), "exclusiveMaximum", at);
      if (hi == null || x.compareTo(hi) <= 0) {
        hi = x;
        hiEx = true;
      }
    }
    if (lo == null && hi == null) {
      return new Pattern(NumberPatterns.ANY_NUMBER);
    }
    String re = NumberPatterns.decimal(lo, loEx, hi, hiEx);
    if (re == null) {
      throw empty(at, "no number lies between " + lo + " and " + hi);
    }
    return new Pattern(re);
  }

  // ---------------------------------------------------------------- arrays

  private Expr array(JsonNode s, String at) {
    List<Expr> prefix = new ArrayList<>();
    if (s.has("prefixItems")) {
      JsonNode p = s.get("prefixItems");
      if (!p.isArray() || p.isEmpty()) {
        throw error(at, "prefixItems", p, "a non-empty array of schemas");
      }
      for (int i = 0; i < p.size(); i++) {
        if (p.get(i).equals(BooleanNode.FALSE)) {
          break; // no array reaches this position
        }
        prefix.add(value(p.get(i), at + "/prefixItems/" + i));
      }
    }
    int k = prefix.size();
    int min = count(s, "minItems", at, 0);
    int max = count(s, "maxItems", at, -1);
    JsonNode itemSchema = s.has("items") ? s.get("items") : BooleanNode.TRUE;
    boolean closed = itemSchema.equals(BooleanNode.FALSE) || s.has("prefixItems") && k < s.get("prefixItems").size();
    if (closed) {
      max = max < 0 ? k : Math.min(max, k);
    }
    if (max >= 0 && min > max) {
      throw empty(at, "minItems " + min + " > the most items allowed, " + max);
    }
    Expr item = closed ? null : value(itemSchema, at + "/items");
    Expr body = max == 0 ? null : seq(k > 0 ? prefix.get(0) : item, tail(1, prefix, item, min, max));
    if (body != null && min == 0) {
      body = new Repeat(body, 0, 1);
    }
    return seq(new Literal("["), ws, body, ws, new Literal("]"));
  }

  /** Items from position {@code j} on (after at least one): mandatory below {@code min}, none from {@code max}. */
  private Expr tail(int j, List<Expr> prefix, Expr item, int min, int max) {
    if (max >= 0 && j >= max) {
      return null;
    }
    if (j >= prefix.size()) {
      int atLeast = Math.max(0, min - j);
      int atMost = max < 0 ? Repeat.UNBOUNDED : max - j;
      return new Repeat(seq(comma(), item), atLeast, atMost);
    }
    Expr next = seq(comma(), prefix.get(j), tail(j + 1, prefix, item, min, max));
    return j < min ? next : new Repeat(next, 0, 1);
  }

  // ---------------------------------------------------------------- objects

  private Expr object(JsonNode s, String at) {
    JsonNode props = s.has("properties") ? s.get("properties") : NODES.objectNode();
    if (!props.isObject()) {
      throw error(at, "properties", props, "an object of schemas");
    }
    JsonNode additional = s.has("additionalProperties") ? s.get("additionalProperties") : BooleanNode.TRUE;
    Set<String> required = s.has("required") ? new LinkedHashSet<>(names(s.get("required"), "required", at)) : Set.of();
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    props.fields().forEachRemaining(e -> declared.put(e.getKey(), e.getValue()));
    for (String r : required) {
      if (!declared.containsKey(r)) {
        if (additional.equals(BooleanNode.FALSE)) {
          throw empty(at, "property " + r + " is required, not declared, and additionalProperties is false");
        }
        declared.put(r, additional);
      }
    }
    List<Expr> members = new ArrayList<>();
    List<Boolean> mandatory = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : declared.entrySet()) {
      String name = e.getKey();
      if (e.getValue().equals(BooleanNode.FALSE)) {
        if (required.contains(name)) {
          throw empty(at + "/properties/" + escape(name), "the property is required and its schema is false");
        }
        continue;
      }
      Expr v = value(e.getValue(), props.has(name) ? at + "/properties/" + escape(name) : at + "/additionalProperties");
      members.add(seq(new Literal(TextNode.valueOf(name).toString()), ws, new Literal(":"), ws, v));
      mandatory.add(required.contains(name));
    }
    Expr extra = null;
    if (!additional.equals(BooleanNode.FALSE)) {
      Expr v = value(additional, at + "/additionalProperties");
      extra = seq(new Compiled(otherName(declared.keySet())), ws, new Literal(":"), ws, v);
    }
    // rest(i, first): members i.. given whether one was written before (a comma first) or not
    String base = at + "#" + fresh++;
    Expr extras = extra == null ? null : new Repeat(seq(comma(), extra), 0, Repeat.UNBOUNDED);
    Expr after = extras;
    Expr first = extra == null ? null : new Repeat(seq(extra, extras), 0, 1);
    for (int i = members.size() - 1; i >= 0; i--) {
      String afterName = base + "/after" + (i + 1);
      String firstName = base + "/first" + (i + 1);
      rules.put(afterName, orEmpty(after));
      rules.put(firstName, orEmpty(first));
      Ref afterRef = new Ref(afterName, 0, 0);
      Expr withComma = seq(comma(), members.get(i));
      after = seq(mandatory.get(i) ? withComma : new Repeat(withComma, 0, 1), afterRef);
      Expr here = seq(members.get(i), afterRef);
      first = mandatory.get(i) ? here : new Alt(List.of(here, new Ref(firstName, 0, 0)));
    }
    return seq(new Literal("{"), ws, first, ws, new Literal("}"));
  }

  private static Expr orEmpty(Expr e) {
    return e == null ? new Seq(List.of()) : e;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  // ---------------------------------------------------------------- any value

  /** Any JSON value (rules made on first use). */
  private Expr any() {
    if (!rules.containsKey("any")) {
      rules.put("any", new Seq(List.of()));
      Expr string = anyString();
      Expr member = seq(string, ws, new Literal(":"), ws, new Ref("any", 0, 0));
      Expr object = seq(new Literal("{"), ws,
          new Repeat(seq(member, new Repeat(seq(comma(), member), 0, Repeat.UNBOUNDED)), 0, 1), ws, new Literal("}"));
      Expr element = new Ref("any", 0, 0);
      Expr array = seq(new Literal("["), ws,
          new Repeat(seq(element, new Repeat(seq(comma(), element), 0, Repeat.UNBOUNDED)), 0, 1), ws, new Literal("]"));
      rules.put("any", new Alt(List.of(object, array, string, new Pattern(NumberPatterns.ANY_NUMBER),
          new Literal("true"), new Literal("false"), new Literal("null"))));
    }
    return new Ref("any", 0, 0);
  }

  // ---------------------------------------------------------------- helpers

  private Expr comma() {
    return seq(ws, new Literal(","), ws);
  }

  /** The items in order, nulls (absent parts) left out. */
  private static Expr seq(Expr... items) {
    List<Expr> out = new ArrayList<>();
    for (Expr e : items) {
      if (e instanceof Seq s) {
        out.addAll(s.items());
      } else if (e != null) {
        out.add(e);
      }
    }
    return out.size() == 1 ? out.get(0) : new Seq(out);
  }

  private String text(JsonNode s, String key, String at) {
    JsonNode v = s.get(key);
    if (!v.isTextual()) {
      throw error(at, key, v, "a string");
    }
    return v.textValue();
  }

  private int count(JsonNode s, String key, String at, int absent) {
    if (!s.has(key)) {
      return absent;
    }
    JsonNode v = s.get(key);
    if (!v.isNumber() || v.decimalValue().signum() < 0 || v.decimalValue().stripTrailingZeros().scale() > 0
        || v.decimalValue().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw error(at, key, v, "a non-negative integer");
    }
    return v.intValue();
  }

  private BigDecimal decimal(JsonNode v, String key, String at) {
    if (!v.isNumber()) {
      throw error(at, key, v, "a number (draft 2020-12; boolean exclusiveMinimum/Maximum is draft 4)");
    }
    return v.decimalValue();
  }

  private List<String> names(JsonNode v, String key, String at) {
    if (!v.isArray()) {
      throw error(at, key, v, "an array of property names");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw error(at, key, v, "an array of property names (strings)");
      }
      out.add(x.textValue());
    }
    return out;
  }
}
