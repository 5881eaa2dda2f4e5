package io.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.sluice.core.console.ProblemLog;
import org.slf4j.LoggerFactory;

/**
 * Copies every warning and error the process logs into a {@link ProblemLog}, for the web console.
 * Attached to the root logger while an agent runs; thread-safe (the log is).
 */
final class ProblemAppender extends AppenderBase<ILoggingEvent> {
    private final ProblemLog log;

    private ProblemAppender(ProblemLog log) {
        this.log = log;
    }

    /** Attaches a new appender to the root logger when Logback is the logging backend; else null. */
    static ProblemAppender attach(ProblemLog log) {
        if (!(LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return null;
        }
        ProblemAppender a = new ProblemAppender(log);
        a.setContext(root.getLoggerContext());
        a.setName("sluice-console-problems");
        a.start();
        root.addAppender(a);
        return a;
    }

    void detach() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        String message = e.getFormattedMessage();
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            message = message + ": " + t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        log.add(e.getLevel().toString(), e.getLoggerName(), message);
    }
}
