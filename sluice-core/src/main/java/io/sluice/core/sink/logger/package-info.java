/** The {@code logger} sink: logs each event's headers and the start of its body at INFO. Called by one runner thread. */
package io.sluice.core.sink.logger;
