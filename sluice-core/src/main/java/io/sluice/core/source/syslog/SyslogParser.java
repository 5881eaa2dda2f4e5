package io.sluice.core.source.syslog;

import io.sluice.api.Event;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Turns one syslog message (one frame, without its delimiter) into an event with Apache Flume's
 * headers: {@code Facility} and {@code Severity} (from the PRI; 0 and 0 for an invalid message),
 * {@code priority}, {@code version}, {@code timestamp} (epoch millis), {@code host}, and
 * {@code flume.syslog.status} = {@code Invalid} (no valid {@code <PRI>}) or {@code Incomplete}
 * (cut at {@code eventSize}). RFC 5424 ({@code <PRI>VERSION TIMESTAMP HOSTNAME rest}) and RFC 3164
 * ({@code <PRI>Mmm dd hh:mm:ss HOSTNAME rest}, the year inferred within eleven months back and one
 * month ahead of now) are recognised; the body is the rest after the host name, with the fields
 * named by {@code keepFields} put back in front, or the whole message with {@code keepFields =
 * true}. A message with a valid PRI but neither header keeps its full text as the body.
 *
 * <p>Immutable and thread-safe.
 */
public final class SyslogParser {
    public static final String FACILITY = "Facility";
    public static final String SEVERITY = "Severity";
    public static final String PRIORITY = "priority";
    public static final String VERSION = "version";
    public static final String TIMESTAMP = "timestamp";
    public static final String HOST = "host";
    public static final String STATUS = "flume.syslog.status";
    public static final String INVALID = "Invalid";
    public static final String INCOMPLETE = "Incomplete";

    private final KeepFields keep;
    private final Clock clock;
    private final ZoneId localZone;

    public SyslogParser(KeepFields keep, Clock clock, ZoneId localZone) {
        this.keep = requireNonNull(keep, "keep is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.localZone = requireNonNull(localZone, "localZone is null");
    }

    /**
     * @param raw        the message bytes, without the frame delimiter
     * @param incomplete whether the frame was cut at {@code eventSize}
     * @param charset    how the message is decoded
     * @param extra      headers to add (client address, port), may be empty
     */
    public Event parse(byte[] raw, boolean incomplete, Charset charset, Map<String, String> extra) {
        String text = new String(raw, charset);
        Map<String, String> headers = new LinkedHashMap<>();
        int close = text.startsWith("<") ? text.indexOf('>') : -1;
        String pri = close > 1 && close <= 4 ? text.substring(1, close) : null;
        if (pri == null || !pri.chars().allMatch(c -> c >= '0' && c <= '9')) {
            headers.put(FACILITY, "0");
            headers.put(SEVERITY, "0");
            headers.put(STATUS, INVALID);
            headers.putAll(extra);
            return Event.wrap(headers, raw);
        }
        int p = Integer.parseInt(pri);
        headers.put(FACILITY, Integer.toString(p / 8));
        headers.put(SEVERITY, Integer.toString(p % 8));
        Header h = header(text, close + 1);
        byte[] body = raw;
        if (h != null) {
            headers.put(PRIORITY, pri);
            if (!h.version.isEmpty()) {
                headers.put(VERSION, h.version);
            }
            if (h.millis != null) {
                headers.put(TIMESTAMP, Long.toString(h.millis));
            }
            if (h.host != null) {
                headers.put(HOST, h.host);
            }
            if (!keep.all()) {
                body = keep.prefix(pri, h.version, h.stampText, h.hostText, h.rest).getBytes(charset);
            }
        }
        if (incomplete) {
            headers.put(STATUS, INCOMPLETE);
        }
        headers.putAll(extra);
        return Event.wrap(headers, body);
    }

    /** The parsed header fields; {@code millis} and {@code host} are null for "-" or an unparsable stamp. */
    private record Header(String version, String stampText, Long millis, String hostText, String host, String rest) {
    }

    private Header header(String s, int at) {
        int i = at;
        String version = "";
        if (i < s.length() && Character.isDigit(s.charAt(i)) && (i + 1 >= s.length() || !Character.isDigit(s.charAt(i + 1)))) {
            version = s.substring(i, i + 1);
            i++;
        }
        if (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        Header h = rfc5424(s, i, version);
        return h != null ? h : rfc3164(s, i, version);
    }

    private Header rfc5424(String s, int i, String version) {
        int sp = s.indexOf(' ', i);
        if (sp < 0) {
            return null;
        }
        String stamp = s.substring(i, sp);
        Long millis = null;
        if (!stamp.equals("-")) {
            if (stamp.length() < 19 || stamp.charAt(4) != '-' || stamp.charAt(10) != 'T') {
                return null;
            }
            millis = rfc5424Millis(stamp);
            if (millis == null) {
                return null;
            }
        }
        return hostAndRest(s, sp + 1, version, stamp, millis);
    }

    private Long rfc5424Millis(String stamp) {
        try {
            return OffsetDateTime.parse(stamp).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(stamp).atZone(localZone).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private Header rfc3164(String s, int i, String version) {
        // Mmm dd hh:mm:ss, a one-digit day padded with a space
        if (s.length() < i + 16) {
            return null;
        }
        Month month = month(s.substring(i, i + 3));
        if (month == null || s.charAt(i + 3) != ' ') {
            return null;
        }
        int j = i + 4;
        if (s.charAt(j) == ' ') {
            j++;
        }
        int sp = s.indexOf(' ', j);
        if (sp < 0 || sp - j > 2 || sp == j) {
            return null;
        }
        int day;
        try {
            day = Integer.parseInt(s.substring(j, sp));
        } catch (NumberFormatException e) {
            return null;
        }
        if (s.length() < sp + 9 || s.charAt(sp + 9) != ' ') {
            return null;
        }
        String time = s.substring(sp + 1, sp + 9);
        if (time.charAt(2) != ':' || time.charAt(5) != ':') {
            return null;
        }
        int hh;
        int mm;
        int ss;
        try {
            hh = Integer.parseInt(time.substring(0, 2));
            mm = Integer.parseInt(time.substring(3, 5));
            ss = Integer.parseInt(time.substring(6, 8));
        } catch (NumberFormatException e) {
            return null;
        }
        ZonedDateTime now = clock.instant().atZone(localZone);
        ZonedDateTime stamp;
        try {
            stamp = ZonedDateTime.of(now.getYear(), month.getValue(), day, hh, mm, ss, 0, localZone);
        } catch (DateTimeException e) {
            return null;
        }
        if (stamp.minusMonths(1).isAfter(now)) {
            stamp = stamp.minusYears(1);
        } else if (stamp.plusMonths(11).isBefore(now)) {
            stamp = stamp.plusYears(1);
        }
        Header h = hostAndRest(s, sp + 10, version, s.substring(i, sp + 9), stamp.toInstant().toEpochMilli());
        return h == null || h.host == null ? null : h;
    }

    private static Month month(String abbrev) {
        for (Month m : Month.values()) {
            String name = m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            if (name.equals(abbrev)) {
                return m;
            }
        }
        return null;
    }

    private static Header hostAndRest(String s, int i, String version, String stamp, Long millis) {
        int sp = s.indexOf(' ', i);
        if (sp <= i) {
            return null;
        }
        String host = s.substring(i, sp);
        if (!host.equals("-") && !validHost(host)) {
            return null;
        }
        return new Header(version, stamp, millis, host, host.equals("-") ? null : host, s.substring(sp + 1));
    }

    private static boolean validHost(String host) {
        if (!Character.isLetterOrDigit(host.charAt(0)) && host.charAt(0) != '_') {
            return false;
        }
        for (int k = 1; k < host.length(); k++) {
            char c = host.charAt(k);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '.' && c != '@' && c != '-' && c != ':') {
                return false;
            }
        }
        return true;
    }
}
