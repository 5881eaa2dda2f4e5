package io.sluice.metrics.text;

import io.sluice.metrics.store.ValueType;

/**
 * Writes samples in the form the scrape sources put in event bodies and the {@code metrics} sink
 * reads: one Prometheus text line per sample, {@code name{label="v",...} value timestampMillis},
 * with Artimon's boolean ({@code true}/{@code false}) and string ({@code "..."}) values. Not
 * thread-safe: one writer per body.
 */
public final class SampleWriter {
    private final StringBuilder out;

    public SampleWriter(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    public void write(String name, String[] labels, ValueType type, double value, String text, long timeMillis) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
        switch (type) {
            case STRING -> {
                out.append('"');
                escape(text);
                out.append('"');
            }
            case BOOLEAN -> out.append(value != 0 ? "true" : "false");
            case INTEGER -> out.append((long) value);
            default -> {
                if (Double.isNaN(value)) {
                    out.append("NaN");
                } else if (Double.isInfinite(value)) {
                    out.append(value > 0 ? "+Inf" : "-Inf");
                } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                    out.append((long) value).append(".0");
                } else {
                    out.append(value);
                }
            }
        }
        out.append(' ').append(timeMillis).append('\n');
    }

    private void escape(String v) {
        int plain = 0;
        while (plain < v.length() && v.charAt(plain) != '\\' && v.charAt(plain) != '"' && v.charAt(plain) != '\n') {
            plain++;
        }
        out.append(v, 0, plain); // nothing to escape up to here: appended at once
        for (int i = plain; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    public int length() {
        return out.length();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
