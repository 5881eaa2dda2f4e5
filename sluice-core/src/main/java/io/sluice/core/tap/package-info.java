/**
 * Taps: a read-only view of the events that pass a component of a running agent, for people
 * ({@code sluice tap}, the web console) and for the rtsql engine's tees. A {@link
 * io.sluice.core.tap.TapRegistry} holds one {@link io.sluice.core.tap.TapPoint} per component kind
 * and name; a source publishes its events after its interceptors once their put committed, a
 * channel the puts committed into it, a sink the takes it committed. A {@link
 * io.sluice.core.tap.Tap} is a bounded queue opened on a point: when its reader falls behind it
 * drops and counts, so a tap never blocks or slows the agent; with no tap open a publish costs one
 * volatile read. Points are kept per name, so a tap stays open across a reload that rebuilds the
 * component. {@link io.sluice.core.tap.TeeFrames} is the binary body in which an agent's tee posts
 * tapped events to an rtsql server, and {@link io.sluice.core.tap.TeeAccept} what a server announces it
 * takes. All classes are thread-safe except {@code TeeFrames.Writer}
 * (one per sender).
 */
package io.sluice.core.tap;
