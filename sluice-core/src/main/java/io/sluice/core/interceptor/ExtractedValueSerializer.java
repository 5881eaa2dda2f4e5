package io.sluice.core.interceptor;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;

/**
 * Turns a group captured by {@code regex_extractor} into a header value. Built-in kinds:
 * {@code default} (the text as captured; Apache Flume's
 * {@code org.apache.flume.interceptor.RegexExtractorInterceptorPassThroughSerializer}) and
 * {@code millis} (a date parsed with {@code pattern}, written as epoch milliseconds; Flume's
 * {@code org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer}). Implementations
 * are immutable and thread-safe.
 */
@FunctionalInterface
public interface ExtractedValueSerializer {

    /** The header value for {@code captured}, or {@code null} to set no header. */
    String serialize(String captured);

    ConfigKey<String> NAME = ConfigKey.stringKey("name", null, "Header that receives the group.").required();
    ConfigKey<String> TYPE = ConfigKey.stringKey("type", "default",
            "default (the text as captured), millis, or a class name.");
    ConfigKey<String> PATTERN = ConfigKey.stringKey("pattern", null,
            "millis only: date-time pattern of the captured text, e.g. yyyy-MM-dd HH:mm.");

    List<String> PASS_THROUGH_NAMES = List.of("default",
            "org.apache.flume.interceptor.RegexExtractorInterceptorPassThroughSerializer");
    List<String> MILLIS_NAMES = List.of("millis",
            "org.apache.flume.interceptor.RegexExtractorInterceptorMillisSerializer");

    /** Builds the serializer configured in {@code context}, or reports a problem and returns null. */
    static ExtractedValueSerializer create(ComponentContext context) {
        String type = context.get(TYPE).trim();
        String lower = type.toLowerCase(Locale.ROOT);
        if (PASS_THROUGH_NAMES.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower))) {
            return captured -> captured;
        }
        if (MILLIS_NAMES.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower))) {
            String pattern = context.get(PATTERN);
            if (pattern == null) {
                context.problem(PATTERN.name(), null, "is required by the millis serializer",
                        "set pattern to the date format of the captured text, e.g. yyyy-MM-dd HH:mm");
                return null;
            }
            DateTimeFormatter formatter;
            try {
                formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                context.problem(PATTERN.name(), pattern, "is not a valid date-time pattern: " + e.getMessage(),
                        "use java.time pattern letters, e.g. yyyy-MM-dd HH:mm:ss");
                return null;
            }
            return captured -> toMillis(formatter, captured);
        }
        context.problem(TYPE.name(), type, "is not a known regex_extractor serializer",
                "use default, millis, or Apache Flume's class name of one of them");
        return null;
    }

    private static String toMillis(DateTimeFormatter formatter, String text) {
        try {
            TemporalAccessor t = formatter.parse(text.trim());
            if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Long.toString(Instant.from(t).toEpochMilli());
            }
            LocalDate date = t.query(TemporalQueries.localDate());
            if (date == null) {
                return null;
            }
            LocalTime time = t.query(TemporalQueries.localTime());
            LocalDateTime dt = time == null ? date.atStartOfDay() : date.atTime(time);
            ZoneId zone = t.query(TemporalQueries.zone());
            return Long.toString(dt.atZone(zone == null ? ZoneId.systemDefault() : zone).toInstant().toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
