/**
 * The agent's tee to an rtsql server ({@code sluice agent --rtsql-server HOST:PORT}): a
 * {@link io.sluice.sql.agent.tee.TeeClient} keeps the agent registered with the server (one
 * long-lived {@code GET /v1/nodes/{agent}/tees} whose lines name the components the server wants),
 * opens a tap on each wanted component and runs one {@link io.sluice.sql.agent.tee.TeeSender} per
 * tap, which posts the tapped events in batches of the form and size the server announced
 * ({@link io.sluice.sql.agent.tee.TeeFormat}). The tap's bounded queue is the only link
 * to the agent's threads, so a slow or absent server never slows the agent's own delivery: events
 * that do not fit are dropped and counted; and each sender's thread runs at the lowest priority
 * ({@link io.sluice.sql.agent.tee.LowPriority}) within a CPU share of one core
 * ({@link io.sluice.sql.agent.tee.CpuBudget}), so a fast server never makes a tee take the agent's
 * CPU either. All classes are thread-safe unless they say otherwise.
 */
package io.sluice.sql.agent.tee;
