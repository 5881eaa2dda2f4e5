package io.sluice.cli.shell;

import static java.util.Objects.requireNonNull;

import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completes rtsql keywords, function names and the names of the streams defined so far (asked of
 * the engine at each completion, so new streams complete at once). Thread-safe.
 */
final class SqlCompleter implements Completer {
    static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "OVER", "HAVING",
            "WINDOW", "AS", "JOIN", "LEFT", "OUTER", "ON", "AND", "OR", "NOT", "IN", "LIKE", "BETWEEN", "IS", "NULL",
            "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "DISTINCT", "TUMBLING", "HOPPING",
            "SESSION", "RANGE", "INTERVAL", "ADVANCE", "PRECEDING", "FOLLOWING", "MILLISECONDS", "SECONDS",
            "MINUTES", "HOURS", "DAYS", "WEEKS", "CREATE", "STREAM", "LOCAL", "FILE", "NODE", "SOURCE",
            "EVENT", "FORMAT", "PROPERTIES", "EXPLAIN", "DESCRIBE", "SHOW", "STREAMS", "FLOWS", "FUNCTIONS", "DROP",
            "FLOW", "SET", "BOOLEAN", "INT", "BIGINT", "FLOAT", "DOUBLE", "PRECISE", "STRING", "BINARY",
            "TIMESTAMP", "LIST");

    private final RtsqlEngine engine;

    SqlCompleter(RtsqlEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word() == null ? "" : line.word();
        if (line.wordIndex() == 0 && word.startsWith("\\")) {
            for (String c : List.of("\\f", "\\w", "\\u", "\\d", "\\D", "\\set", "\\h", "\\q")) {
                candidates.add(new Candidate(c, c, "control commands", null, null, null, true));
            }
            return;
        }
        boolean lower = !word.isEmpty() && Character.isLowerCase(word.charAt(0));
        for (String k : KEYWORDS) {
            String v = lower ? k.toLowerCase(java.util.Locale.ROOT) : k;
            candidates.add(new Candidate(v, v, "keywords", null, null, null, true));
        }
        for (String s : names("SHOW STREAMS")) {
            candidates.add(new Candidate(s, s, "streams", null, null, null, true));
        }
        for (String f : names("SHOW FUNCTIONS")) {
            String v = lower ? f.toLowerCase(java.util.Locale.ROOT) : f;
            candidates.add(new Candidate(v, v, "functions", null, null, null, false));
        }
    }

    /** The first column of a SHOW statement's rows; empty if it fails. */
    private List<String> names(String show) {
        try {
            return engine.execute(show).rows().stream().filter(r -> !r.isEmpty() && r.get(0) != null)
                    .map(r -> r.get(0).toString()).toList();
        } catch (RtsqlException | RuntimeException e) {
            return List.of();
        }
    }
}
