package io.sluice.core.source.exec;

import java.io.BufferedReader;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads a child's standard error to its end and logs it: each line at WARN when
 * {@code logStdErr} is on, limited to {@code maxLinesPerSecond} (the rest are counted and the count
 * is logged), otherwise at DEBUG with one INFO note that stderr output exists. Runs on its own
 * thread; not shared.
 */
final class StderrLogger implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StderrLogger.class);

    private final String logName;
    private final BufferedReader reader;
    private final boolean logStdErr;
    private final int maxLinesPerSecond;
    private long windowStart;
    private int inWindow;
    private long suppressed;
    private boolean noted;

    StderrLogger(String logName, BufferedReader reader, boolean logStdErr, int maxLinesPerSecond) {
        this.logName = requireNonNull(logName, "logName is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.logStdErr = logStdErr;
        this.maxLinesPerSecond = maxLinesPerSecond;
    }

    @Override
    public void run() {
        try (BufferedReader r = reader) {
            String line;
            while ((line = r.readLine()) != null) {
                log(line);
            }
        } catch (IOException e) {
            LOG.debug("[{}] reading the command's stderr ended: {}", logName, e.toString());
        }
        if (suppressed > 0) {
            LOG.warn("[{}] {} more stderr lines of the command were not logged (rate limit {} lines/s)", logName,
                    suppressed, maxLinesPerSecond);
        }
    }

    private void log(String line) {
        if (!logStdErr) {
            if (!noted) {
                noted = true;
                LOG.info("[{}] the command writes to stderr; set logStdErr = true to log it at WARN", logName);
            }
            LOG.debug("[{}] stderr: {}", logName, line);
            return;
        }
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            if (suppressed > 0) {
                LOG.warn("[{}] {} stderr lines of the command were not logged (rate limit {} lines/s)", logName,
                        suppressed, maxLinesPerSecond);
                suppressed = 0;
            }
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow <= maxLinesPerSecond) {
            LOG.warn("[{}] stderr: {}", logName, line);
        } else {
            suppressed++;
        }
    }
}
