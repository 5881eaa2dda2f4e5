/**
 * Typed configuration: {@link io.sluice.api.config.ConfigKey} defines one key with its default
 * and rules; {@link io.sluice.api.config.ComponentContext} gives a component its keys and collects
 * every problem instead of failing on the first. Keys are immutable and thread-safe; a context is
 * used by one thread while the agent is being built.
 */
package io.sluice.api.config;
