package io.sluice.sql.cases;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.sql.Column;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.StatementResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs one {@link QueryCase} against a fresh engine and lists every way it differs from its expectation. */
final class CaseRunner {
    /** The fixed engine clock: arrival times and CURRENT_TIMESTAMP() read this instant. */
    static final long CLOCK_MILLIS = 1_600_000_000_000L;
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s+|--[^\\n]*|//[^\\n]*|/\\*.*?\\*/)*",
            Pattern.DOTALL);
    private static final Pattern SCHEMA_REF = Pattern.compile("\\$\\{schema:([^}]+)}");

    private CaseRunner() {
    }

    /** What one SELECT printed. */
    private static final class Block {
        final Flow flow;
        final List<String> lines = new ArrayList<>();
        final List<Long> eventTimes = new ArrayList<>();

        Block(Flow flow) {
            this.flow = flow;
        }
    }

    /** Runs {@code c} in {@code dir}; returns the problems found, empty if the case passed. */
    static List<String> run(QueryCase c, Path dir) throws IOException, InterruptedException {
        Map<String, String> schemas = new HashMap<>();
        for (Map.Entry<String, List<String>> in : c.inputs.entrySet()) {
            Files.write(dir.resolve(in.getKey()), in.getValue(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, byte[]> in : c.rawInputs.entrySet()) {
            Files.write(dir.resolve(in.getKey()), in.getValue());
        }
        for (Map.Entry<String, JsonNode> in : c.avroInputs.entrySet()) {
            schemas.put(in.getKey(), AvroInputs.write(dir.resolve(in.getKey()), in.getValue()));
        }
        EngineOptions.Builder options = EngineOptions.builder().baseDirectory(dir)
                .clock(Clock.fixed(Instant.ofEpochMilli(CLOCK_MILLIS), ZoneOffset.UTC));
        c.settings.forEach(options::setting);

        List<String> problems = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        RtsqlException error = null;
        int errorAt = -1;
        int flowCount;
        try (RtsqlEngine engine = new RtsqlEngine(options.build())) {
            for (String s : c.setupStatements) {
                try {
                    engine.execute(substitute(s, schemas));
                } catch (RtsqlException e) {
                    problems.add("fixture statement failed: " + s + "\n    " + e.getMessage());
                    return problems;
                }
            }
            List<String> statements;
            if (c.script != null) {
                try {
                    statements = RtsqlEngine.splitStatements(c.script);
                } catch (RtsqlException e) {
                    problems.add("splitStatements failed: " + e.getMessage());
                    return problems;
                }
            } else {
                statements = c.statements;
            }
            for (int i = 0; i < statements.size(); i++) {
                String statement = substitute(statements.get(i), schemas);
                List<Row> rows = new CopyOnWriteArrayList<>();
                RowListener listener = rows::add;
                StatementResult result;
                try {
                    result = engine.execute(statement, listener);
                } catch (RtsqlException e) {
                    error = e;
                    errorAt = i + 1;
                    break;
                }
                render(result, output);
                Optional<Flow> flow = result.flow();
                if (flow.isPresent() && isSelect(statement)) {
                    Flow f = flow.get();
                    if (!f.awaitEnd(FLOW_TIMEOUT)) {
                        problems.add("statement " + (i + 1) + ": flow " + f.id() + " did not end within "
                                + FLOW_TIMEOUT + " (state " + f.state() + ")");
                        return problems;
                    }
                    if (f.state() != Flow.State.FINISHED) {
                        problems.add("statement " + (i + 1) + ": flow ended " + f.state()
                                + f.failure().map(t -> ": " + t).orElse(""));
                    }
                    Block b = new Block(f);
                    List<Column> cols = f.columns();
                    b.lines.add(OutputFormat.CSV.header(cols));
                    for (Row r : rows) {
                        b.lines.add(OutputFormat.CSV.format(cols, r));
                        b.eventTimes.add(r.eventTime());
                    }
                    blocks.add(b);
                }
            }
            flowCount = engine.flows().size();
        }
        compare(c, blocks, output.toString(), error, errorAt, flowCount, problems);
        return problems;
    }

    private static void compare(QueryCase c, List<Block> blocks, String output, RtsqlException error, int errorAt,
            int flowCount, List<String> problems) {
        JsonNode exp = c.expected;
        int statementCount = c.script != null ? -1 : c.statements.size();
        JsonNode expError = exp.get("error");
        if (expError == null && error != null) {
            problems.add("statement " + errorAt + " failed: " + error.getMessage());
        } else if (expError != null && error == null) {
            problems.add("expected an error, but every statement ran");
        } else if (expError != null) {
            int want = expError.has("statement") ? expError.get("statement").asInt() : statementCount;
            if (want > 0 && want != errorAt) {
                problems.add("expected the error at statement " + want + ", got it at statement " + errorAt + ": "
                        + error.getMessage());
            }
            List<String> subs = new ArrayList<>();
            JsonNode m = expError.get("message");
            if (m != null && m.isArray()) {
                m.forEach(x -> subs.add(x.asText()));
            } else if (m != null) {
                subs.add(m.asText());
            }
            for (String s : subs) {
                if (!error.getMessage().toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT))) {
                    problems.add("error message lacks '" + s + "': " + error.getMessage());
                }
            }
            if (expError.has("at")) {
                String got = error.line() + ":" + error.column();
                if (!got.equals(expError.get("at").asText())) {
                    problems.add("error position: expected " + expError.get("at").asText() + ", got " + got + " ("
                            + error.getMessage() + ")");
                }
            }
        }
        boolean ordered = !exp.has("ordered") || exp.get("ordered").asBoolean();
        if (exp.has("rows")) {
            JsonNode rows = exp.get("rows");
            if (rows.size() != blocks.size()) {
                problems.add("expected " + rows.size() + " SELECT result(s), got " + blocks.size());
            }
            for (int i = 0; i < Math.min(rows.size(), blocks.size()); i++) {
                List<String> want = new ArrayList<>();
                rows.get(i).forEach(l -> want.add(l.asText()));
                String diff = Diff.lines(want, blocks.get(i).lines, ordered);
                if (diff != null) {
                    problems.add("SELECT " + (i + 1) + " rows differ" + (ordered ? "" : " (order ignored)") + ":\n"
                            + diff);
                }
            }
        }
        Block last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (exp.has("eventTimes")) {
            List<Long> want = new ArrayList<>();
            exp.get("eventTimes").forEach(t -> want.add(t.asLong()));
            List<Long> got = last == null ? List.of() : new ArrayList<>(last.eventTimes);
            if (!ordered) {
                want.sort(null);
                got.sort(null);
            }
            if (!want.equals(got)) {
                problems.add("event times: expected " + want + ", got " + got);
            }
        }
        if (exp.has("counters") || exp.has("rejectedEvents") || exp.has("rejectedReasons")) {
            if (last == null) {
                problems.add("counters expected but no SELECT ran");
            } else {
                FlowCounters fc = last.flow.counters();
                JsonNode want = exp.path("counters");
                if (want.has("rejected") && want.get("rejected").asLong() != fc.rejected()) {
                    problems.add("rejected: expected " + want.get("rejected").asLong() + ", got " + fc);
                }
                if (want.has("late") && want.get("late").asLong() != fc.late()) {
                    problems.add("late: expected " + want.get("late").asLong() + ", got " + fc);
                }
                if (want.has("arithmeticErrors") && want.get("arithmeticErrors").asLong() != fc.arithmeticErrors()) {
                    problems.add("arithmeticErrors: expected " + want.get("arithmeticErrors").asLong() + ", got " + fc);
                }
                exp.path("rejectedReasons").forEach(r -> {
                    if (last.flow.rejectedEvents().stream().noneMatch(e -> e.reason().toLowerCase(Locale.ROOT)
                            .contains(r.asText().toLowerCase(Locale.ROOT)))) {
                        problems.add("no rejected event's reason contains '" + r.asText() + "': "
                                + last.flow.rejectedEvents());
                    }
                });
                if (exp.has("rejectedRawMaxLength")) {
                    int max = exp.get("rejectedRawMaxLength").asInt();
                    last.flow.rejectedEvents().stream().filter(e -> e.raw() != null && e.raw().length() > max)
                            .forEach(e -> problems.add("rejected event text longer than " + max + ": "
                                    + e.raw().length() + " characters"));
                }
                if (exp.has("rejectedEvents")) {
                    int n = last.flow.rejectedEvents().size();
                    if (n != exp.get("rejectedEvents").asInt()) {
                        problems.add("rejectedEvents(): expected " + exp.get("rejectedEvents").asInt() + ", got "
                                + last.flow.rejectedEvents());
                    }
                    last.flow.rejectedEvents().stream().filter(r -> r.reason().isBlank())
                            .forEach(r -> problems.add("rejected event without a reason: " + r));
                }
            }
        }
        List<String> lastRows = last == null ? List.of() : last.lines.subList(1, last.lines.size());
        if (exp.has("rowCount") && exp.get("rowCount").asInt() != lastRows.size()) {
            problems.add("row count: expected " + exp.get("rowCount").asInt() + ", got " + lastRows.size());
        }
        exp.path("rowsContain").forEach(r -> {
            if (!lastRows.contains(r.asText())) {
                problems.add("rows lack '" + r.asText() + "'");
            }
        });
        exp.path("rowsExclude").forEach(r -> {
            if (lastRows.contains(r.asText())) {
                problems.add("rows contain '" + r.asText() + "' but should not");
            }
        });
        String lower = output.toLowerCase(Locale.ROOT);
        exp.path("output").forEach(s -> {
            if (!lower.contains(s.asText().toLowerCase(Locale.ROOT))) {
                problems.add("statement output lacks '" + s.asText() + "':\n" + output.indent(4));
            }
        });
        if (exp.has("flowCount") && exp.get("flowCount").asInt() != flowCount) {
            problems.add("flows: expected " + exp.get("flowCount").asInt() + ", got " + flowCount);
        }
    }

    /** What a statement printed besides rows: its message and its result table. */
    private static void render(StatementResult r, StringBuilder out) {
        out.append(r.message()).append('\n');
        if (!r.rows().isEmpty()) {
            for (Column col : r.columns()) {
                out.append(col.name()).append(" | ");
            }
            out.append('\n');
            for (List<Object> row : r.rows()) {
                for (Object v : row) {
                    out.append(v).append(" | ");
                }
                out.append('\n');
            }
        }
    }

    static boolean isSelect(String statement) {
        Matcher m = LEADING_COMMENTS.matcher(statement);
        String rest = m.lookingAt() ? statement.substring(m.end()) : statement;
        return rest.regionMatches(true, 0, "SELECT", 0, 6);
    }

    private static String substitute(String statement, Map<String, String> schemas) {
        Matcher m = SCHEMA_REF.matcher(statement);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String schema = schemas.get(m.group(1));
            if (schema == null) {
                throw new IllegalArgumentException("no avro input named " + m.group(1));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(schema.replace("'", "\\'")));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
