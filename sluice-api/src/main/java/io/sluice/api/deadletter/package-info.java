/**
 * Dead letters: events and input that a component cannot handle for a reason tied to them, set
 * aside in a channel of the agent instead of blocking a sink or being only counted by a source.
 *
 * <p>A component opts in by implementing {@link io.sluice.api.deadletter.DeadLetterAware}; the
 * agent reads the component's {@code deadLetter.channel} key, checks that it names another channel
 * of the agent, and hands the component a {@link io.sluice.api.deadletter.DeadLetters} before
 * {@code start()}. A sink says "this one event failed because of what it is" with an
 * {@link io.sluice.api.deadletter.EventRejectedException}; a plain
 * {@link io.sluice.api.EventDeliveryException} stays a failure of the destination, which is rolled
 * back and retried and never dead-lettered.
 *
 * <p>Every dead letter keeps the original headers and body and carries three more headers:
 * {@code sluice.error} (why), {@code sluice.component} (who set it aside, e.g.
 * {@code a1.sinks.k1}) and {@code sluice.failedAt} (when, ISO-8601 in UTC).
 *
 * <p>{@code DeadLetters} and {@code EventRejectedException} are thread-safe (the latter is
 * immutable once built).
 */
package io.sluice.api.deadletter;
