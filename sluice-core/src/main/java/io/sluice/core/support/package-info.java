/**
 * Base classes for components: lifecycle bookkeeping ({@link io.sluice.core.support.AbstractComponent}),
 * sources that hold a channel processor and sinks that hold a channel, and a rate limiter for
 * repeated log lines ({@link io.sluice.core.support.RateLimitedLog}, thread-safe). Lifecycle methods
 * are synchronized; subclasses state their own threading.
 */
package io.sluice.core.support;
