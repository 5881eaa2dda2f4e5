/**
 * Reading a Flume-format properties file: ordered parsing ({@link io.sluice.core.config.OrderedProperties}),
 * {@code ${env:X}}/{@code ${sys:X}}/{@code ${X}} substitution ({@link io.sluice.core.config.Substitutor}),
 * the keys of one agent ({@link io.sluice.core.config.AgentProperties}) and the
 * {@link io.sluice.api.config.ComponentContext} components read their keys through. Values are
 * immutable and thread-safe; a {@link io.sluice.core.config.ConfigSession} and its contexts are used by
 * the one thread that builds an agent.
 */
package io.sluice.core.config;
