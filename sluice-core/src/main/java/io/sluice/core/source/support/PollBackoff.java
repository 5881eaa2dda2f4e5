package io.sluice.core.source.support;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/**
 * How long the runner of a pollable source sleeps after a poll that found nothing to do: the
 * sleep grows by {@code backoffSleepIncrement} up to {@code maxBackoffSleep} milliseconds, Apache
 * Flume's keys and defaults for every pollable source ({@code seq}, {@code stress}). Immutable.
 *
 * @param incrementMillis {@code backoffSleepIncrement}
 * @param maxMillis       {@code maxBackoffSleep}
 */
public record PollBackoff(long incrementMillis, long maxMillis) {
    public static final ConfigKey<Long> BACKOFF_SLEEP_INCREMENT = ConfigKey.longKey("backoffSleepIncrement", 1000L,
            "Milliseconds the runner adds to its sleep after each poll with nothing to do.").atLeast(1);
    public static final ConfigKey<Long> MAX_BACKOFF_SLEEP = ConfigKey.longKey("maxBackoffSleep", 5000L,
            "Longest sleep of the runner between polls with nothing to do, in milliseconds.").atLeast(1);
    /** Both keys, for a factory's key list. */
    public static final List<ConfigKey<?>> KEYS = List.of(BACKOFF_SLEEP_INCREMENT, MAX_BACKOFF_SLEEP);
    public static final PollBackoff FLUME_DEFAULT = new PollBackoff(1000, 5000);

    public PollBackoff {
        if (incrementMillis < 1 || maxMillis < 1) {
            throw new IllegalArgumentException("backoff: " + incrementMillis + "/" + maxMillis + " ms (expected: > 0)");
        }
    }

    /** Reads both keys; a bad value is reported by the context, which then refuses the agent. */
    public static PollBackoff read(ComponentContext context) {
        Long increment = context.get(BACKOFF_SLEEP_INCREMENT);
        Long max = context.get(MAX_BACKOFF_SLEEP);
        return increment == null || max == null || increment < 1 || max < 1 ? FLUME_DEFAULT
                : new PollBackoff(increment, max);
    }
}
