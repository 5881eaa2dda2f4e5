/**
 * The agent: an {@link io.sluice.core.agent.AgentSpec} is validated into a
 * {@link io.sluice.core.agent.ValidationReport} and, when it has no problem, materialised into an
 * {@link io.sluice.core.agent.Agent} whose components start channels first and stop sources first.
 * {@link io.sluice.core.agent.AgentSupervisor} watches the configuration and applies a change to
 * the running agent, restarting only the components whose keys or wiring changed
 * ({@code ReloadPlan}, {@code RunningSet}). Specs, reports and plans are immutable; Agent and
 * AgentSupervisor are thread-safe (their lifecycle methods are synchronized), RunningSet is guarded
 * by its Agent.
 */
package io.sluice.core.agent;
