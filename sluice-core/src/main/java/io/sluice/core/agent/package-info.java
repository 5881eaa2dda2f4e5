/**
 * The agent: an {@link io.sluice.core.agent.AgentSpec} is validated into a
 * {@link io.sluice.core.agent.ValidationReport} and, when it has no problem, materialised into an
 * {@link io.sluice.core.agent.Agent} whose components start channels first and stop sources first.
 * {@link io.sluice.core.agent.AgentSupervisor} reloads the agent when its file changes. Specs and
 * reports are immutable; Agent and AgentSupervisor are thread-safe (their lifecycle methods are
 * synchronized).
 */
package io.sluice.core.agent;
