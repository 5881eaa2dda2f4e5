package io.sluice.core.source.syslog;

import io.sluice.api.Event;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * <p>Thread-safe: its one piece of state, the last RFC 3164 stamp worked out, is an immutable value
 * behind a volatile field.
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

    /** How long an RFC 3164 stamp's worked-out time is reused for the same stamp text. */
    static final long STAMP_REUSE_MILLIS = 1000;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
        "Dec"};
    /** The decimal text of 0 to 999, the values a PRI of up to three digits and its parts take. */
    private static final String[] NUMBERS = new String[1000];

    static {
        for (int i = 0; i < NUMBERS.length; i++) {
            NUMBERS[i] = Integer.toString(i);
        }
    }

    private final KeepFields keep;
    private final Clock clock;
    private final ZoneId localZone;
    /** See {@link #rfc3164Millis}; replaced whole, so connections sharing the parser see a consistent entry. */
    private volatile CachedStamp lastStamp;

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
        Map<String, String> headers = new LinkedHashMap<>(16);
        int close = text.startsWith("<") ? text.indexOf('>') : -1;
        int p = close > 1 && close <= 4 ? digits(text, 1, close) : -1;
        if (p < 0) {
            headers.put(FACILITY, "0");
            headers.put(SEVERITY, "0");
            headers.put(STATUS, INVALID);
            headers.putAll(extra);
            return Event.adopt(headers, raw);
        }
        String pri = number(text, 1, close, p);
        headers.put(FACILITY, NUMBERS[p / 8]);
        headers.put(SEVERITY, NUMBERS[p % 8]);
        Header h = header(text, close + 1);
        byte[] body = raw;
        if (h != null) {
            headers.put(PRIORITY, pri);
            if (!h.version.isEmpty()) {
                headers.put(VERSION, h.version);
            }
            if (h.millisText != null) {
                headers.put(TIMESTAMP, h.millisText);
            }
            if (h.host != null) {
                headers.put(HOST, h.host);
            }
            if (!keep.all()) {
                body = keep.equals(KeepFields.NONE) && sameBytes(raw, text, charset)
                        ? Arrays.copyOfRange(raw, h.restStart, raw.length)
                        : keep.prefix(pri, h.version, h.stampText(text), h.hostText, text.substring(h.restStart))
                                .getBytes(charset);
            }
        }
        if (incomplete) {
            headers.put(STATUS, INCOMPLETE);
        }
        headers.putAll(extra);
        // The map is this call's own and no value is null: the event takes it without a copy.
        return Event.adopt(headers, body);
    }

    /**
     * Whether each character of {@code text} is the one byte at the same index of {@code raw}: an
     * ASCII message in a charset that decodes ASCII as itself, so a part of the text can be cut
     * from the bytes without encoding it again.
     */
    private static boolean sameBytes(byte[] raw, String text, Charset charset) {
        if (raw.length != text.length() || !(charset.equals(StandardCharsets.UTF_8)
                || charset.equals(StandardCharsets.US_ASCII) || charset.equals(StandardCharsets.ISO_8859_1))) {
            return false;
        }
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** The value of the decimal digits in {@code s[from, to)}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The text of {@code s[from, to)}, whose value is {@code value}: a shared string when written without leading zeros. */
    private static String number(String s, int from, int to, int value) {
        String canonical = NUMBERS[value];
        return canonical.length() == to - from ? canonical : s.substring(from, to);
    }

    /**
     * The parsed header fields, as positions in the message text. {@code millisText} (epoch millis)
     * and {@code host} are null for "-" or an unparsable stamp; the body is the text from
     * {@code restStart} on.
     */
    private record Header(String version, int stampStart, int stampEnd, String millisText, String hostText,
            String host, int restStart) {
        String stampText(String s) {
            return s.substring(stampStart, stampEnd);
        }
    }

    /** The epoch millis of the last RFC 3164 stamp text, and when (by the clock) they were worked out. */
    private record CachedStamp(String text, String millisText, long computedAtMillis) {
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
        String millisText = null;
        if (!(sp == i + 1 && s.charAt(i) == '-')) {
            if (sp - i < 19 || s.charAt(i + 4) != '-' || s.charAt(i + 10) != 'T') {
                return null;
            }
            Long millis = rfc5424Millis(s.substring(i, sp));
            if (millis == null) {
                return null;
            }
            millisText = Long.toString(millis);
        }
        return hostAndRest(s, sp + 1, version, i, sp, millisText);
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
        int month = month(s.charAt(i), s.charAt(i + 1), s.charAt(i + 2));
        if (month == 0 || s.charAt(i + 3) != ' ') {
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
        int day = digits(s, j, sp);
        if (day < 0) {
            return null;
        }
        if (s.length() < sp + 10 || s.charAt(sp + 9) != ' ' || s.charAt(sp + 3) != ':' || s.charAt(sp + 6) != ':') {
            return null;
        }
        int hh = digits(s, sp + 1, sp + 3);
        int mm = digits(s, sp + 4, sp + 6);
        int ss = digits(s, sp + 7, sp + 9);
        if (hh < 0 || mm < 0 || ss < 0) {
            return null;
        }
        int stampEnd = sp + 9;
        String millisText = rfc3164Millis(s, i, stampEnd, month, day, hh, mm, ss);
        if (millisText == null) {
            return null;
        }
        Header h = hostAndRest(s, sp + 10, version, i, stampEnd, millisText);
        return h == null || h.host == null ? null : h;
    }

    /**
     * The epoch millis of an RFC 3164 stamp, as text. A sender writes the same stamp for every
     * message of one second, so the last result is kept and reused for the same stamp text while
     * the clock has moved less than {@value #STAMP_REUSE_MILLIS} ms: working out the year and the
     * zone's offset for every message costs more than the rest of the parsing.
     */
    private String rfc3164Millis(String s, int from, int to, int month, int day, int hh, int mm, int ss) {
        long nowMillis = clock.millis();
        CachedStamp cached = lastStamp;
        if (cached != null && cached.text.length() == to - from && s.regionMatches(from, cached.text, 0, to - from)
                && nowMillis >= cached.computedAtMillis && nowMillis - cached.computedAtMillis < STAMP_REUSE_MILLIS) {
            return cached.millisText;
        }
        ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(localZone);
        ZonedDateTime stamp;
        try {
            stamp = ZonedDateTime.of(now.getYear(), month, day, hh, mm, ss, 0, localZone);
        } catch (DateTimeException e) {
            return null;
        }
        if (stamp.minusMonths(1).isAfter(now)) {
            stamp = stamp.minusYears(1);
        } else if (stamp.plusMonths(11).isBefore(now)) {
            stamp = stamp.plusYears(1);
        }
        String millisText = Long.toString(stamp.toInstant().toEpochMilli());
        lastStamp = new CachedStamp(s.substring(from, to), millisText, nowMillis);
        return millisText;
    }

    /** The month (1-12) of an English three-letter abbreviation, or 0. */
    private static int month(char a, char b, char c) {
        for (int m = 0; m < MONTHS.length; m++) {
            String name = MONTHS[m];
            if (name.charAt(0) == a && name.charAt(1) == b && name.charAt(2) == c) {
                return m + 1;
            }
        }
        return 0;
    }

    private static Header hostAndRest(String s, int i, String version, int stampStart, int stampEnd,
            String millisText) {
        int sp = s.indexOf(' ', i);
        if (sp <= i) {
            return null;
        }
        String host = s.substring(i, sp);
        boolean nil = sp == i + 1 && s.charAt(i) == '-';
        if (!nil && !validHost(host)) {
            return null;
        }
        return new Header(version, stampStart, stampEnd, millisText, host, nil ? null : host, sp + 1);
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
