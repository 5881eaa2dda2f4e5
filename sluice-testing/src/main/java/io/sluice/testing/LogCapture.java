package io.sluice.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Every line logged in this JVM (through Logback) while open, each as its message followed by the
 * messages of its exception and causes ({@code " | "} between them), for tests that check what a
 * user reads in the log. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
    }

    /** Starts capturing; close it to stop. */
    public static LogCapture start() {
        LogCapture c = new LogCapture();
        c.appender.start();
        c.root.addAppender(c.appender);
        return c;
    }

    /** The lines captured so far. */
    public List<String> lines() {
        return captured(e -> true);
    }

    /** The captured lines logged at WARN, formatted as {@link #lines()} formats them. */
    public List<String> warnings() {
        return captured(e -> e.getLevel() == Level.WARN);
    }

    private List<String> captured(Predicate<ILoggingEvent> which) {
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = List.copyOf(appender.list);
        }
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            if (which.test(e)) {
                out.add(format(e));
            }
        }
        return out;
    }

    private static String format(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            b.append(" | ").append(t.getMessage());
        }
        return b.toString();
    }

    /** Whether a captured line matches. */
    public boolean any(Predicate<String> p) {
        return lines().stream().anyMatch(p);
    }

    /** The captured lines containing {@code part}. */
    public List<String> matching(String part) {
        return lines().stream().filter(m -> m.contains(part)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
