package io.sluice.metrics.text;

import io.sluice.metrics.store.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text: {@code # HELP},
 * {@code # TYPE}, {@code # UNIT} and other comments are skipped, {@code # EOF} ends an OpenMetrics
 * body, exemplars ({@code  # {...} v}) are ignored. A sample line is
 * {@code name{label="value",...} value [timestamp]}; timestamps are integer milliseconds in the
 * Prometheus format and (possibly fractional) seconds in OpenMetrics.
 *
 * <p>Artimon's value types are read as well: a value written as an integer literal
 * ({@code 42}, {@code -7}) is an integer, {@code true}/{@code false} a boolean, a double-quoted
 * string ({@code "1.2.3"}) a string; any other number ({@code 1.5}, {@code 1e3}, {@code NaN},
 * {@code +Inf}) a double. Plain Prometheus bodies thus read as integers and doubles only.
 *
 * <p>A line that does not parse is reported with its number and what was expected, and the
 * parser goes on with the next line. Stateless; thread-safe.
 */
public final class ExpositionParser {
    private ExpositionParser() {
    }

    /** One line that did not parse. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /**
     * Parses {@code body}, calling {@code handler} per sample; returns the lines that did not parse
     * (the first 10, then one entry saying that more did not parse).
     */
    public static List<Problem> parse(CharSequence body, boolean openMetrics, SampleHandler handler) {
        List<Problem> problems = new ArrayList<>(0);
        int len = body.length();
        int pos = 0;
        int lineNo = 0;
        List<String> labels = new ArrayList<>();
        while (pos < len) {
            int end = pos;
            while (end < len && body.charAt(end) != '\n') {
                end++;
            }
            lineNo++;
            int lineEnd = end > pos && body.charAt(end - 1) == '\r' ? end - 1 : end;
            int start = pos;
            pos = end + 1;
            while (start < lineEnd && (body.charAt(start) == ' ' || body.charAt(start) == '\t')) {
                start++;
            }
            if (start == lineEnd) {
                continue;
            }
            if (body.charAt(start) == '#') {
                if (openMetrics && lineEnd - start == 5 && "# EOF".contentEquals(body.subSequence(start, lineEnd))) {
                    break;
                }
                continue;
            }
            try {
                parseLine(body, start, lineEnd, openMetrics, labels, handler);
            } catch (IllegalArgumentException e) {
                if (problems.size() < 10) {
                    problems.add(new Problem(lineNo, e.getMessage()));
                } else if (problems.size() == 10) {
                    problems.add(new Problem(lineNo, "(more lines did not parse)"));
                }
            }
        }
        return problems;
    }

    private static void parseLine(CharSequence s, int p, int end, boolean om, List<String> labels,
            SampleHandler handler) {
        int nameStart = p;
        while (p < end && isNameChar(s.charAt(p), p == nameStart)) {
            p++;
        }
        if (p == nameStart) {
            throw new IllegalArgumentException("expected a metric name at column " + (p + 1));
        }
        String name = s.subSequence(nameStart, p).toString();
        labels.clear();
        if (p < end && s.charAt(p) == '{') {
            p++;
            while (true) {
                p = skipSpaces(s, p, end);
                if (p < end && s.charAt(p) == '}') {
                    p++;
                    break;
                }
                int ls = p;
                while (p < end && isNameChar(s.charAt(p), p == ls) && s.charAt(p) != ':') {
                    p++;
                }
                if (p == ls) {
                    throw new IllegalArgumentException("expected a label name in the labels of " + name);
                }
                String label = s.subSequence(ls, p).toString();
                p = skipSpaces(s, p, end);
                if (p >= end || s.charAt(p) != '=') {
                    throw new IllegalArgumentException("expected = after label " + label + " of " + name);
                }
                p = skipSpaces(s, p + 1, end);
                if (p >= end || s.charAt(p) != '"') {
                    throw new IllegalArgumentException("expected a quoted value for label " + label + " of " + name);
                }
                int close = plainQuotedEnd(s, p, end);
                labels.add(label);
                if (close > 0) {
                    labels.add(s.subSequence(p + 1, close).toString());
                    p = close + 1;
                } else {
                    StringBuilder v = new StringBuilder();
                    p = readQuoted(s, p, end, v, "label " + label + " of " + name);
                    labels.add(v.toString());
                }
                p = skipSpaces(s, p, end);
                if (p < end && s.charAt(p) == ',') {
                    p++;
                } else if (p >= end || s.charAt(p) != '}') {
                    throw new IllegalArgumentException("expected , or } after label " + label + " of " + name);
                }
            }
        }
        if (p >= end || (s.charAt(p) != ' ' && s.charAt(p) != '\t')) {
            throw new IllegalArgumentException("expected a space and a value after " + name);
        }
        p = skipSpaces(s, p, end);
        ValueType type;
        double value;
        String text = null;
        if (p < end && s.charAt(p) == '"') {
            StringBuilder v = new StringBuilder();
            p = readQuoted(s, p, end, v, "the value of " + name);
            type = ValueType.STRING;
            value = Double.NaN;
            text = v.toString();
        } else {
            int vs = p;
            while (p < end && s.charAt(p) != ' ' && s.charAt(p) != '\t') {
                p++;
            }
            String tok = s.subSequence(vs, p).toString();
            if (tok.isEmpty()) {
                throw new IllegalArgumentException("expected a value after " + name);
            }
            if (tok.equals("true") || tok.equals("false")) {
                type = ValueType.BOOLEAN;
                value = tok.equals("true") ? 1 : 0;
            } else if (isInteger(tok)) {
                type = ValueType.INTEGER;
                value = tok.length() < 18 ? Long.parseLong(tok) : Double.parseDouble(tok);
            } else {
                type = ValueType.DOUBLE;
                value = parseDouble(tok, name);
            }
        }
        p = skipSpaces(s, p, end);
        long ts = Long.MIN_VALUE;
        if (p < end && s.charAt(p) != '#') {
            int tsStart = p;
            while (p < end && s.charAt(p) != ' ' && s.charAt(p) != '\t') {
                p++;
            }
            String tok = s.subSequence(tsStart, p).toString();
            try {
                ts = om ? Math.round(Double.parseDouble(tok) * 1000) : Long.parseLong(tok);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp '" + tok + "' of " + name + " is not "
                        + (om ? "a number of seconds" : "an integer number of milliseconds"));
            }
            p = skipSpaces(s, p, end);
        }
        if (p < end && s.charAt(p) != '#') {
            throw new IllegalArgumentException("unexpected text after the sample of " + name + ": '"
                    + s.subSequence(p, end) + "'");
        }
        handler.sample(name, labels.toArray(new String[0]), type, value, text, ts);
    }

    private static double parseDouble(String tok, String name) {
        switch (tok) {
            case "+Inf", "Inf", "+inf", "inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf", "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN", "nan" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(tok);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("value '" + tok + "' of " + name + " is not a number, true,"
                            + " false or a quoted string");
                }
            }
        }
    }

    private static boolean isInteger(String tok) {
        int i = tok.charAt(0) == '-' || tok.charAt(0) == '+' ? 1 : 0;
        if (i == tok.length()) {
            return false;
        }
        for (; i < tok.length(); i++) {
            char c = tok.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The position of the quote closing the quoted string at {@code p} when it holds no escape (the
     * common case, read without copying character by character); -1 otherwise.
     */
    private static int plainQuotedEnd(CharSequence s, int p, int end) {
        for (int i = p + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static int readQuoted(CharSequence s, int p, int end, StringBuilder out, String what) {
        p++;
        while (p < end) {
            char c = s.charAt(p);
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\' && p + 1 < end) {
                char n = s.charAt(p + 1);
                out.append(n == 'n' ? '\n' : n);
                p += 2;
            } else {
                out.append(c);
                p++;
            }
        }
        throw new IllegalArgumentException("unterminated quoted string in " + what);
    }

    private static int skipSpaces(CharSequence s, int p, int end) {
        while (p < end && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                || (!first && c >= '0' && c <= '9');
    }
}
