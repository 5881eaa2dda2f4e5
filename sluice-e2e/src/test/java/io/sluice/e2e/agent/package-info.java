/**
 * End-to-end tests of the agent as users run it: the built distribution started as a child
 * process on configurations written to temporary directories, spoken to over real sockets on
 * ephemeral ports. Each test class runs its processes on its own thread; nothing is shared.
 */
package io.sluice.e2e.agent;
