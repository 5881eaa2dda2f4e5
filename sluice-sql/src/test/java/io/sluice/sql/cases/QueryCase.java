package io.sluice.sql.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One case of the corpus, after its fixture (if any) has been merged in. Immutable.
 *
 * <p>JSON shape: {@code name}, {@code use} (a fixture of the same file), {@code settings},
 * {@code inputs} (file name to lines, each written with a line feed), {@code rawInputs} (file name
 * to its exact bytes, as a list of strings joined without separators in which {@code \xHH} is one
 * byte; for BOMs, invalid UTF-8 and line breaks other than LF), {@code avroInputs} (file name to {@code schema} and
 * {@code records}), {@code statements} or {@code script}, {@code expected} and optionally
 * {@code knownFailure}. {@code expected} holds any of: {@code rows} (one list of csv lines per
 * SELECT, header first), {@code ordered} (default true), {@code eventTimes} (of the last SELECT's
 * rows), {@code counters} ({@code rejected}, {@code late} of the last SELECT's flow),
 * {@code rejectedEvents}, {@code rowCount}, {@code rowsContain}, {@code rowsExclude} (of the last
 * SELECT), {@code output} (substrings of what DESCRIBE/SHOW/EXPLAIN printed, any case),
 * {@code flowCount}, and {@code error} ({@code message} substring or list of substrings, compared
 * ignoring case; {@code at} as {@code line:col}; {@code statement}, 1-based among the case's own
 * statements, default the last).
 */
final class QueryCase {
    final String file;
    final String name;
    final Map<String, String> settings;
    final Map<String, List<String>> inputs;
    final Map<String, byte[]> rawInputs;
    final Map<String, JsonNode> avroInputs;
    final List<String> setupStatements;
    final List<String> statements;
    final String script;
    final JsonNode expected;
    final Optional<String> knownFailure;

    QueryCase(String file, String name, Map<String, String> settings, Map<String, List<String>> inputs,
            Map<String, byte[]> rawInputs, Map<String, JsonNode> avroInputs, List<String> setupStatements, List<String> statements, String script,
            JsonNode expected, Optional<String> knownFailure) {
        this.file = requireNonNull(file, "file is null");
        this.name = requireNonNull(name, "name is null");
        this.settings = Map.copyOf(settings);
        this.inputs = Map.copyOf(inputs);
        this.rawInputs = Map.copyOf(rawInputs);
        this.avroInputs = Map.copyOf(avroInputs);
        this.setupStatements = List.copyOf(setupStatements);
        this.statements = List.copyOf(statements);
        this.script = script;
        this.expected = requireNonNull(expected, "expected is null");
        this.knownFailure = requireNonNull(knownFailure, "knownFailure is null");
    }

    String id() {
        return file + " :: " + name;
    }

    /** Builds a case from its JSON, merging the fixture it {@code use}s. */
    static QueryCase from(String file, JsonNode node, JsonNode fixtures) {
        String name = text(node, "name");
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        Map<String, JsonNode> avro = new LinkedHashMap<>();
        Map<String, byte[]> raw = new LinkedHashMap<>();
        List<String> setup = new ArrayList<>();
        if (node.has("use")) {
            String use = node.get("use").asText();
            JsonNode fixture = fixtures == null ? null : fixtures.get(use);
            if (fixture == null) {
                throw new IllegalArgumentException(file + " :: " + name + ": unknown fixture '" + use + "'");
            }
            readInto(fixture, settings, inputs, raw, avro);
            fixture.path("statements").forEach(s -> setup.add(s.asText()));
        }
        readInto(node, settings, inputs, raw, avro);
        List<String> statements = new ArrayList<>();
        node.path("statements").forEach(s -> statements.add(s.asText()));
        String script = node.has("script") ? node.get("script").asText() : null;
        if (statements.isEmpty() == (script == null)) {
            throw new IllegalArgumentException(file + " :: " + name + ": give either statements or a script");
        }
        if (!node.has("expected")) {
            throw new IllegalArgumentException(file + " :: " + name + ": no expected");
        }
        Optional<String> known = node.has("knownFailure") ? Optional.of(node.get("knownFailure").asText())
                : Optional.empty();
        return new QueryCase(file, name, settings, inputs, raw, avro, setup, statements, script, node.get("expected"),
                known);
    }

    private static void readInto(JsonNode node, Map<String, String> settings, Map<String, List<String>> inputs,
            Map<String, byte[]> raw, Map<String, JsonNode> avro) {
        node.path("rawInputs").fields().forEachRemaining(e -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            e.getValue().forEach(part -> {
                String t = part.asText();
                for (int i = 0; i < t.length(); i++) {
                    if (t.startsWith("\\x", i) && i + 4 <= t.length()) {
                        bytes.write(Integer.parseInt(t.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else {
                        byte[] b = String.valueOf(t.charAt(i)).getBytes(StandardCharsets.UTF_8);
                        if (Character.isHighSurrogate(t.charAt(i)) && i + 1 < t.length()) {
                            b = t.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                            i++;
                        }
                        bytes.write(b, 0, b.length);
                    }
                }
            });
            raw.put(e.getKey(), bytes.toByteArray());
        });
        node.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        node.path("inputs").fields().forEachRemaining(e -> {
            List<String> lines = new ArrayList<>();
            e.getValue().forEach(l -> lines.add(l.asText()));
            inputs.put(e.getKey(), lines);
        });
        node.path("avroInputs").fields().forEachRemaining(e -> avro.put(e.getKey(), e.getValue()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("case without a '" + field + "': " + node);
        }
        return v.asText();
    }
}
