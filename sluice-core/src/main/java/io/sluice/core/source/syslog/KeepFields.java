package io.sluice.core.source.syslog;

import java.util.Locale;

/**
 * Which parsed header fields stay in the event body ({@code keepFields}), as Apache Flume reads
 * the key: {@code true} or {@code all} keeps the whole message; {@code false} or {@code none}
 * (the default) keeps only the text after the host name; otherwise each of {@code priority},
 * {@code version}, {@code timestamp} and {@code hostname} named in the value is put back in front
 * of the body, in the message's own order. Immutable.
 *
 * @param all       keep the whole message
 * @param priority  keep {@code <PRI>}
 * @param version   keep the version
 * @param timestamp keep the timestamp text
 * @param hostname  keep the host name
 */
public record KeepFields(boolean all, boolean priority, boolean version, boolean timestamp, boolean hostname) {
    public static final KeepFields NONE = new KeepFields(false, false, false, false, false);

    /** Reads a {@code keepFields} value. */
    public static KeepFields parse(String value) {
        String v = value == null ? "false" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("false") || v.equals("none")) {
            return NONE;
        }
        if (v.equals("true") || v.equals("all")) {
            return new KeepFields(true, false, false, false, false);
        }
        return new KeepFields(false, v.contains("priority"), v.contains("version"), v.contains("timestamp"),
                v.contains("hostname"));
    }

    /** The body with the kept fields in front: {@code <PRI>VERSION TIMESTAMP HOSTNAME rest}. */
    String prefix(String pri, String versionText, String stampText, String hostText, String rest) {
        StringBuilder b = new StringBuilder();
        if (priority) {
            b.append('<').append(pri).append('>');
        }
        if (version && !versionText.isEmpty()) {
            b.append(versionText).append(' ');
        }
        if (timestamp) {
            b.append(stampText).append(' ');
        }
        if (hostname) {
            b.append(hostText).append(' ');
        }
        return b.append(rest).toString();
    }
}
