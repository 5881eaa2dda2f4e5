/**
 * {@code bin/sluice-bench tap}: what an rtsql tee costs an agent. {@link
 * io.sluice.bench.tap.TapScenario} runs one agent configuration with and without
 * {@code --rtsql-server}, the tee posting to {@link io.sluice.bench.tap.TeeReceiver}, an in-process
 * server that registers the agent and reads and discards every batch. Not thread-safe, except the
 * receiver (thread-safe).
 */
package io.sluice.bench.tap;
