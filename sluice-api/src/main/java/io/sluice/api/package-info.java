/**
 * The contracts between Sluice's components: the immutable {@link io.sluice.api.Event}, the
 * transactional {@link io.sluice.api.Channel}, sources, sinks, interceptors, channel selectors and
 * sink processors, and the plugin contract ({@link io.sluice.api.ComponentFactory}). Values here
 * ({@code Event}) are thread-safe; a {@link io.sluice.api.Transaction} is owned by the one thread
 * that created it; each component type states its own threading rules.
 */
package io.sluice.api;
