package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The JSON Schema corpus ({@code src/test/resources/json-schemas}) checked against an independent validator.
 *
 * <p>Every schema must be a valid draft 2020-12 schema, every instance under {@code valid} must validate and every
 * instance under {@code invalid} must not. The corpus must stay large and varied: at least {@value #MIN_SCHEMAS}
 * schemas, and every keyword the JSON-Schema-to-mask compiler is meant to handle in at least
 * {@value #MIN_SCHEMAS_PER_FEATURE} of them.
 */
class JsonSchemaCorpusTest {

    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    static final int MIN_SCHEMAS = 60;
    static final int MIN_SCHEMAS_PER_FEATURE = 3;

    /** The keywords the corpus must exercise (each in at least {@value #MIN_SCHEMAS_PER_FEATURE} schemas). */
    static final List<String> REQUIRED_KEYWORDS = List.of(
            "type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
            "enum", "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref", "$defs");

    /** Annotations allowed besides the required keywords; everything else (if/then/else, multipleOf, ...) is out. */
    static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description", "default", "examples");

    static final List<String> FORMATS = List.of("date", "time", "date-time", "email", "uuid", "uri");
    static final List<String> TYPES = List.of("string", "number", "integer", "boolean", "object", "array", "null");

    /** Lookaround and backreferences are outside the regular subset the mask compiler accepts. */
    static final Pattern NON_REGULAR = Pattern.compile("\\(\\?[=!<]|\\\\[1-9]|\\\\k<");
    static final Pattern FILE_NAME = Pattern.compile("^(\\d{2})-[a-z0-9]+(-[a-z0-9]+)*\\.json$");

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** networknt treats format as an annotation under 2020-12 unless format assertions are switched on. */
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .regularExpressionFactory(com.networknt.schema.regex.JoniRegularExpressionFactory.getInstance()).build()));

    record Entry(String name, JsonNode schema, JsonNode instances) {}

    static Path corpusDir() {
        URL url = JsonSchemaCorpusTest.class.getResource("/json-schemas");
        assertThat(url).as("json-schemas on the test class path").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Entry> corpus() {
        Path dir = corpusDir();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> schemas = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            List<Entry> entries = new ArrayList<>();
            for (Path p : schemas) {
                String name = p.getFileName().toString();
                Path instances = dir.resolve("instances").resolve(name);
                assertThat(instances).as("instances of %s", name).exists();
                entries.add(new Entry(name, MAPPER.readTree(p.toFile()), MAPPER.readTree(instances.toFile())));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(List<Error> errors) {
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).collect(Collectors.joining("; "));
    }

    @TestFactory
    Stream<DynamicNode> everyInstanceAgreesWithTheOracle() {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));
        return corpus().stream().map(entry -> {
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(dynamicTest(entry.name() + " is a draft 2020-12 schema", () -> {
                assertThat(entry.schema().path("$schema").asText()).isEqualTo(DRAFT_2020_12);
                List<Error> errors = metaSchema.validate(entry.schema());
                assertThat(errors).as("%s against the meta-schema: %s", entry.name(), describe(errors)).isEmpty();
            }));
            Schema schema = REGISTRY.getSchema(entry.schema());
            JsonNode valid = entry.instances().path("valid");
            JsonNode invalid = entry.instances().path("invalid");
            tests.add(dynamicTest(entry.name() + " has 2-4 valid and 1-3 invalid instances", () -> {
                assertThat(valid.isArray() && valid.size() >= 2 && valid.size() <= 4).as("valid").isTrue();
                assertThat(invalid.isArray() && invalid.size() >= 1 && invalid.size() <= 3).as("invalid").isTrue();
                assertThat(entry.instances().size()).as("only valid and invalid").isEqualTo(2);
            }));
            for (int i = 0; i < valid.size(); i++) {
                JsonNode instance = valid.get(i);
                String label = entry.name() + " valid[" + i + "]";
                tests.add(dynamicTest(label, () -> {
                    List<Error> errors = schema.validate(instance);
                    assertThat(errors).as("%s: %s", label, describe(errors)).isEmpty();
                }));
            }
            for (int i = 0; i < invalid.size(); i++) {
                JsonNode instance = invalid.get(i);
                String label = entry.name() + " invalid[" + i + "]";
                tests.add(dynamicTest(label, () ->
                        assertThat(schema.validate(instance)).as("%s is accepted but should not be: %s", label, instance).isNotEmpty()));
            }
            return dynamicContainer(entry.name(), tests);
        });
    }

    @Test
    void corpusFilesAreNamedAndPairedWithInstances() throws IOException {
        Path dir = corpusDir();
        Set<String> schemas;
        Set<String> instances;
        try (Stream<Path> s = Files.list(dir); Stream<Path> i = Files.list(dir.resolve("instances"))) {
            schemas = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).collect(Collectors.toCollection(TreeSet::new));
            instances = i.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(schemas).hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS);
        assertThat(instances).isEqualTo(schemas);
        Set<String> numbers = new TreeSet<>();
        for (String name : schemas) {
            var m = FILE_NAME.matcher(name);
            assertThat(m.matches()).as("file name %s is NN-short-name.json", name).isTrue();
            assertThat(numbers.add(m.group(1))).as("number of %s is unique", name).isTrue();
        }
    }

    @Test
    void corpusCoversEveryKeywordInSeveralSchemas() {
        List<Entry> corpus = corpus();
        Map<String, Set<String>> keywordUse = new TreeMap<>();
        Map<String, Set<String>> formatUse = new TreeMap<>();
        Map<String, Set<String>> typeUse = new TreeMap<>();
        Set<String> typeArrays = new TreeSet<>();
        Set<String> recursive = new TreeSet<>();
        Set<String> large = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Entry entry : corpus) {
            String name = entry.name();
            walk(entry.schema(), "#", (path, node) -> {
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    String key = property.getKey();
                    if (REQUIRED_KEYWORDS.contains(key)) {
                        keywordUse.computeIfAbsent(key, k -> new TreeSet<>()).add(name);
                    } else if (!ANNOTATIONS.contains(key)) {
                        problems.add(name + " " + path + ": keyword " + key + " is outside the corpus' list");
                    }
                }
                if (node.has("format")) {
                    formatUse.computeIfAbsent(node.get("format").asText(), k -> new TreeSet<>()).add(name);
                    if (!FORMATS.contains(node.get("format").asText())) {
                        problems.add(name + " " + path + ": format " + node.get("format") + " is outside the corpus' list");
                    }
                }
                JsonNode type = node.path("type");
                if (type.isArray()) {
                    typeArrays.add(name);
                    type.forEach(t -> typeUse.computeIfAbsent(t.asText(), k -> new TreeSet<>()).add(name));
                } else if (type.isTextual()) {
                    typeUse.computeIfAbsent(type.asText(), k -> new TreeSet<>()).add(name);
                }
                if (node.path("properties").size() >= 30) {
                    large.add(name);
                }
                if (node.path("pattern").isTextual() && NON_REGULAR.matcher(node.get("pattern").asText()).find()) {
                    problems.add(name + " " + path + ": pattern " + node.get("pattern") + " uses lookaround or a backreference");
                }
                // a definition that refers to itself, directly or through its own subschemas
                if (path.startsWith("#/$defs/") && node.path("$ref").isTextual()) {
                    String def = path.split("/")[2];
                    if (node.get("$ref").asText().equals("#/$defs/" + def) && !path.equals("#/$defs/" + def)) {
                        recursive.add(name);
                    }
                }
            });
        }
        for (Map.Entry<String, Set<String>> e : indirectRecursion(corpus).entrySet()) {
            recursive.addAll(e.getValue());
        }
        assertThat(problems).isEmpty();
        assertThat(corpus.size()).as("schemas in the corpus").isGreaterThanOrEqualTo(MIN_SCHEMAS);
        for (String keyword : REQUIRED_KEYWORDS) {
            assertThat(keywordUse.getOrDefault(keyword, Set.of())).as("schemas using %s", keyword).hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
        }
        for (String format : FORMATS) {
            assertThat(formatUse.getOrDefault(format, Set.of())).as("schemas using format %s", format).hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
        }
        for (String type : TYPES) {
            assertThat(typeUse.getOrDefault(type, Set.of())).as("schemas using type %s", type).hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
        }
        assertThat(typeArrays).as("schemas with an array of types").hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
        assertThat(recursive).as("schemas with a recursive $ref").hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
        assertThat(large).as("schemas with an object of 30+ properties").hasSizeGreaterThanOrEqualTo(MIN_SCHEMAS_PER_FEATURE);
    }

    /** Schemas whose definitions form a cycle through $ref (A refers to B, B refers to A), or that refer to "#" from inside. */
    static Map<String, Set<String>> indirectRecursion(List<Entry> corpus) {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Entry entry : corpus) {
            Map<String, Set<String>> edges = new TreeMap<>();
            walk(entry.schema(), "#", (path, node) -> {
                if (!node.path("$ref").isTextual()) {
                    return;
                }
                String ref = node.get("$ref").asText();
                if (ref.equals("#") && !path.equals("#")) {
                    found.computeIfAbsent("root", k -> new TreeSet<>()).add(entry.name());
                }
                if (path.startsWith("#/$defs/") && ref.startsWith("#/$defs/")) {
                    edges.computeIfAbsent(path.split("/")[2], k -> new TreeSet<>()).add(ref.split("/")[2]);
                }
            });
            for (String start : edges.keySet()) {
                if (reaches(edges, start, start, new TreeSet<>())) {
                    found.computeIfAbsent("cycle", k -> new TreeSet<>()).add(entry.name());
                }
            }
        }
        return found;
    }

    static boolean reaches(Map<String, Set<String>> edges, String from, String target, Set<String> seen) {
        for (String next : edges.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(edges, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Visits every subschema (object form) with its JSON pointer; keys under properties and $defs are names, not keywords. */
    static void walk(JsonNode schema, String path, BiConsumer<String, JsonNode> visit) {
        if (!schema.isObject()) {
            return;
        }
        visit.accept(path, schema);
        for (String key : List.of("properties", "$defs")) {
            for (Map.Entry<String, JsonNode> e : schema.path(key).properties()) {
                walk(e.getValue(), path + "/" + key + "/" + e.getKey(), visit);
            }
        }
        for (String key : List.of("items", "additionalProperties")) {
            if (schema.has(key)) {
                walk(schema.get(key), path + "/" + key, visit);
            }
        }
        for (String key : List.of("prefixItems", "anyOf", "oneOf", "allOf")) {
            JsonNode list = schema.path(key);
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "/" + key + "/" + i, visit);
            }
        }
    }
}
