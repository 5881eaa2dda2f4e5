/**
 * End-to-end tests of the rtsql server: a real {@code sluice server} process, remote shells as real
 * processes, and the server killed with {@code kill -9} and started again.
 */
package io.sluice.e2e.rtsql;
