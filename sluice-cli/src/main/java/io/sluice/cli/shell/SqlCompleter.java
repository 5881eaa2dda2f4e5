package io.sluice.cli.shell;

import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import static java.util.Objects.requireNonNull;

/**
 * Completes by position: after {@code FROM}, {@code JOIN}, {@code DESCRIBE} and {@code DROP STREAM}
 * only stream names; in a select list, WHERE, GROUP BY, HAVING and ON the columns of the streams
 * the statement reads (all streams' before its FROM is typed), functions and keywords;
 * {@code s.} the columns of stream or alias {@code s}. Streams and columns are asked of the engine
 * at each completion, so new ones complete at once. Thread-safe.
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

    private final Session session;

    SqlCompleter(RtsqlEngine engine) {
        this(Session.of(new LocalBackend(engine)));
    }

    SqlCompleter(Session session) {
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word() == null ? "" : line.word();
        if (line.wordIndex() == 0 && word.startsWith("\\")) {
            for (String c : List.of("\\f", "\\w", "\\u", "\\d", "\\D", "\\c", "\\disconnect", "\\set", "\\h",
                    "\\q")) {
                candidates.add(new Candidate(c, c, "control commands", null, null, null, true));
            }
            return;
        }
        String before = line.line().substring(0, Math.max(0, Math.min(line.cursor(), line.line().length())
                - line.wordCursor()));
        boolean lower = !word.isEmpty() && Character.isLowerCase(word.charAt(0));
        Context where = context(before);
        if (where == Context.STREAM) {
            for (String s : names("SHOW STREAMS")) {
                candidates.add(new Candidate(s, s, "streams", null, null, null, true));
            }
            return;
        }
        int dot = word.indexOf('.');
        if (dot > 0) {
            // stream.column: the columns of that stream (or of the stream an alias names)
            String q = word.substring(0, dot);
            String stream = aliases(line.line()).getOrDefault(q.toLowerCase(Locale.ROOT), q);
            for (String c : columns(stream)) {
                candidates.add(new Candidate(q + "." + c, c, "columns of " + stream, null, null, null, true));
            }
            return;
        }
        if (where == Context.EXPRESSION) {
            List<String> streams = new ArrayList<>(new LinkedHashSet<>(aliases(line.line()).values()));
            if (streams.isEmpty()) {
                streams = names("SHOW STREAMS");
            }
            for (String stream : streams) {
                for (String c : columns(stream)) {
                    candidates.add(new Candidate(c, c, "columns", null, null, null, true));
                }
            }
            for (String f : names("SHOW FUNCTIONS")) {
                String v = lower ? f.toLowerCase(Locale.ROOT) : f;
                candidates.add(new Candidate(v, v, "functions", null, null, null, false));
            }
        }
        for (String k : KEYWORDS) {
            String v = lower ? k.toLowerCase(Locale.ROOT) : k;
            candidates.add(new Candidate(v, v, "keywords", null, null, null, true));
        }
        if (where == Context.ANY) {
            for (String st : names("SHOW STREAMS")) {
                candidates.add(new Candidate(st, st, "streams", null, null, null, true));
            }
        }
    }

    /** Where the word being completed stands. */
    enum Context {
        /** After FROM, JOIN, DESCRIBE, DROP STREAM: only stream names fit. */
        STREAM,
        /** In a select list, WHERE, GROUP BY, HAVING or ON: columns, functions, keywords. */
        EXPRESSION,
        /** Anywhere else: keywords and streams. */
        ANY
    }

    private static final Pattern LAST_WORDS = Pattern.compile("(?i)(\\bFROM|\\bJOIN|\\bDESCRIBE|\\bDROP\\s+STREAM"
            + "|\\bSELECT|\\bWHERE|\\bBY|\\bHAVING|\\bON|\\bAND|\\bOR|\\bNOT|,|\\(|[=<>+*/-])\\s*$");
    private static final Pattern SOURCES = Pattern.compile(
            "(?i)\\b(?:FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_]*)(?:\\s+(?:AS\\s+)?([A-Za-z_][A-Za-z0-9_]*))?");
    private static final Set<String> NOT_ALIASES = Set.of("where", "join", "left", "inner", "on", "group", "over",
            "window", "having", "as");

    /** The context of a word that follows {@code before} (the line up to the word's start). */
    static Context context(String before) {
        Matcher m = LAST_WORDS.matcher(before);
        if (!m.find()) {
            return Context.ANY;
        }
        String w = m.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        switch (w) {
            case "FROM": case "JOIN": case "DESCRIBE": case "DROP STREAM":
                return Context.STREAM;
            default:
                return Context.EXPRESSION;
        }
    }

    /** Stream names by the name or alias they go by in the statement ({@code FROM clicks c}). */
    static Map<String, String> aliases(String statement) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SOURCES.matcher(statement);
        while (m.find()) {
            String stream = m.group(1);
            out.put(stream.toLowerCase(Locale.ROOT), stream);
            if (m.group(2) != null && !NOT_ALIASES.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                out.put(m.group(2).toLowerCase(Locale.ROOT), stream);
            }
        }
        return out;
    }

    /** The column names of {@code stream}; empty if it does not exist. */
    private List<String> columns(String stream) {
        if (!stream.matches("[A-Za-z_][A-Za-z0-9_]*") || !names("SHOW STREAMS").contains(stream)) {
            return List.of();
        }
        return names("DESCRIBE " + stream);
    }

    /** The first column of a SHOW statement's rows; empty if it fails. */
    private List<String> names(String show) {
        try {
            return session.backend().execute(show, null).result().rows().stream().filter(r -> !r.isEmpty() && r.get(0) != null)
                    .map(r -> r.get(0).toString()).toList();
        } catch (RtsqlException | RuntimeException e) {
            return List.of();
        }
    }
}
