package io.sluice.hdfs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A path or file name with Apache Flume's escapes ({@code hdfs.path}, {@code hdfs.filePrefix}),
 * parsed once into parts and then expanded per event:
 * <ul>
 *   <li>{@code %{name}}: the value of header {@code name} (empty when the event lacks it);</li>
 *   <li>{@code %[localhost]}, {@code %[IP]}, {@code %[FQDN]}: this host's name, address and
 *       canonical name (any case);</li>
 *   <li>{@code %x} for one letter: a field of the event's time, taken from its {@code timestamp}
 *       header (milliseconds) or, with {@code useLocalTimeStamp}, from the clock:
 *       {@code %a %A} weekday, {@code %b %B} month name, {@code %c} date and time, {@code %d}
 *       day of month (2 digits), {@code %e} day of month, {@code %D} mm/dd/yy, {@code %H} hour
 *       00-23, {@code %I} hour 01-12, {@code %j} day of year, {@code %k} hour 0-23, {@code %l}
 *       hour 1-12, {@code %m} month 01-12, {@code %n} month 1-12, {@code %M} minute, {@code %p}
 *       am/pm, {@code %s} seconds since the epoch, {@code %S} second, {@code %t} the timestamp
 *       in milliseconds, {@code %y} 2-digit year, {@code %Y} year, {@code %z} zone offset
 *       {@code +hhmm}; {@code %%} is a percent sign; any other letter expands to nothing.</li>
 * </ul>
 * With rounding ({@code hdfs.round}) the time is rounded down to a multiple of {@code roundValue}
 * seconds, minutes or hours of the field before it is formatted ({@code %t} stays unrounded).
 *
 * <p>Immutable and thread-safe.
 */
final class PathTemplate {
    /** The escapes Apache Flume recognises: {@code %x}, {@code %%}, {@code %{header}}, {@code %[static]}. */
    private static final Pattern TAG = Pattern.compile("%(\\w|%)|%\\{([\\w.-]+)\\}|%\\[(\\w+)\\]");
    private static final String TIME_LETTERS = "aAbBcdeDHIjklmMnpsStyYz";

    /** How the time is rounded before formatting. */
    enum RoundUnit {
        SECOND(ChronoField.SECOND_OF_MINUTE, ChronoUnit.SECONDS, 60),
        MINUTE(ChronoField.MINUTE_OF_HOUR, ChronoUnit.MINUTES, 60),
        HOUR(ChronoField.HOUR_OF_DAY, ChronoUnit.HOURS, 24);

        final ChronoField field;
        final ChronoUnit unit;
        final int max;

        RoundUnit(ChronoField field, ChronoUnit unit, int max) {
            this.field = field;
            this.unit = unit;
            this.max = max;
        }
    }

    /** Thrown when an event lacks what the template needs (its timestamp header). */
    static final class MissingTimestampException extends IllegalArgumentException {
        MissingTimestampException(String message) {
            super(message);
        }
    }

    private sealed interface Part permits Literal, Header, Time {
    }

    private record Literal(String text) implements Part {
    }

    private record Header(String name) implements Part {
    }

    private record Time(char letter) implements Part {
    }

    private final String template;
    private final List<Part> parts;
    private final boolean needsTime;
    private final String constant;

    private PathTemplate(String template, List<Part> parts) {
        this.template = template;
        this.parts = List.copyOf(parts);
        this.needsTime = parts.stream().anyMatch(p -> p instanceof Time);
        this.constant = parts.stream().allMatch(p -> p instanceof Literal)
                ? parts.stream().map(p -> ((Literal) p).text()).reduce("", String::concat) : null;
    }

    /**
     * Parses {@code template}. Throws {@link IllegalArgumentException} naming an unknown
     * {@code %[...]} name (Apache Flume only noticed it at the first event).
     */
    static PathTemplate parse(String template) {
        requireNonNull(template, "template is null");
        List<Part> parts = new ArrayList<>();
        Matcher m = TAG.matcher(template);
        int last = 0;
        StringBuilder literal = new StringBuilder();
        while (m.find()) {
            literal.append(template, last, m.start());
            last = m.end();
            if (m.group(2) != null) {
                flush(literal, parts);
                parts.add(new Header(m.group(2)));
            } else if (m.group(3) != null) {
                literal.append(staticValue(m.group(3)));
            } else {
                char c = m.group(1).charAt(0);
                if (c == '%') {
                    literal.append('%');
                } else if (TIME_LETTERS.indexOf(c) >= 0) {
                    flush(literal, parts);
                    parts.add(new Time(c));
                }
                // any other %x expands to nothing, as in Apache Flume
            }
        }
        literal.append(template, last, template.length());
        flush(literal, parts);
        return new PathTemplate(template, parts);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    private static String staticValue(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!key.equals("localhost") && !key.equals("ip") && !key.equals("fqdn")) {
            throw new IllegalArgumentException("%[" + name + "] is not a known escape (use %[localhost], %[IP] or"
                    + " %[FQDN])");
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            return switch (key) {
                case "localhost" -> local.getHostName();
                case "ip" -> local.getHostAddress();
                default -> local.getCanonicalHostName();
            };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("%[" + name + "] needs this host's name, which cannot be resolved: " + e);
        }
    }

    /** The template as written. */
    String template() {
        return template;
    }

    /** Whether some escape needs the event's time. */
    boolean needsTime() {
        return needsTime;
    }

    /** Whether the template expands to the same text for every event. */
    boolean isConstant() {
        return constant != null;
    }

    /**
     * The part of the template before its first escape that varies per event, cut back to the
     * last {@code /}: the directory every expansion lies under.
     */
    String staticDirectory() {
        String head = parts.isEmpty() || !(parts.get(0) instanceof Literal l) ? "" : l.text();
        if (constant != null) {
            return constant;
        }
        int slash = head.lastIndexOf('/');
        return slash < 0 ? "" : head.substring(0, slash);
    }

    /**
     * Expands the template for one event.
     *
     * @param headers the event's headers
     * @param localMillis the clock's time, used instead of the timestamp header when
     *        {@code useLocalTimeStamp} is on
     */
    String expand(Map<String, String> headers, TimeSettings time, long localMillis) {
        if (constant != null) {
            return constant;
        }
        long ts = 0;
        String tsText = null;
        if (needsTime) {
            if (time.useLocalTimeStamp()) {
                ts = localMillis;
                tsText = Long.toString(ts);
            } else {
                tsText = headers.get("timestamp");
                if (tsText == null) {
                    throw new MissingTimestampException("the event has no 'timestamp' header, which '" + template
                            + "' needs for its time escapes; add a timestamp interceptor to the source or set"
                            + " hdfs.useLocalTimeStamp = true");
                }
                try {
                    ts = Long.parseLong(tsText.trim());
                } catch (NumberFormatException e) {
                    throw new MissingTimestampException("the event's 'timestamp' header '" + tsText + "' is not a number"
                            + " of milliseconds, which '" + template + "' needs for its time escapes; fix the"
                            + " producer or set hdfs.useLocalTimeStamp = true");
                }
            }
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        ZonedDateTime when = null;
        long rounded = ts;
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else if (p instanceof Header h) {
                String v = headers.get(h.name());
                if (v != null) {
                    out.append(v);
                }
            } else {
                char c = ((Time) p).letter();
                if (c == 't') {
                    out.append(tsText);
                    continue;
                }
                if (when == null) {
                    when = time.round(ts);
                    rounded = when.toInstant().toEpochMilli();
                }
                if (c == 's') {
                    out.append(rounded / 1000);
                } else {
                    out.append(formatter(c).format(when));
                }
            }
        }
        return out.toString();
    }

    private static final DateTimeFormatter[] FORMATTERS = new DateTimeFormatter[128];

    static {
        String[][] patterns = {
            {"a", "EEE"}, {"A", "EEEE"}, {"b", "MMM"}, {"B", "MMMM"}, {"c", "EEE MMM d HH:mm:ss yyyy"},
            {"d", "dd"}, {"e", "d"}, {"D", "MM/dd/yy"}, {"H", "HH"}, {"I", "hh"}, {"j", "DDD"}, {"k", "H"},
            {"l", "h"}, {"m", "MM"}, {"M", "mm"}, {"n", "M"}, {"p", "a"}, {"S", "ss"}, {"y", "yy"},
            {"Y", "yyyy"}, {"z", "xx"},
        };
        for (String[] p : patterns) {
            FORMATTERS[p[0].charAt(0)] = DateTimeFormatter.ofPattern(p[1]);
        }
    }

    private static DateTimeFormatter formatter(char c) {
        return FORMATTERS[c];
    }

    /** Time zone and rounding for the time escapes. Immutable. */
    record TimeSettings(ZoneId zone, boolean round, RoundUnit unit, int roundValue, boolean useLocalTimeStamp) {
        TimeSettings {
            requireNonNull(zone, "zone is null");
            requireNonNull(unit, "unit is null");
        }

        ZonedDateTime round(long millis) {
            ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
            if (!round) {
                return t;
            }
            int v = t.get(unit.field);
            return t.with(unit.field, v - (v % Math.max(1, roundValue))).truncatedTo(unit.unit);
        }
    }
}
