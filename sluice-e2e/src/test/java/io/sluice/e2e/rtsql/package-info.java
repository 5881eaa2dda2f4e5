/**
 * End-to-end tests of the rtsql server: a real {@code sluice server} process, remote shells as real
 * processes, and the server killed with {@code kill -9} and started again; two servers sharing one
 * flow over a Kafka topic (a broker in the test JVM), one of them killed mid-stream.
 */
package io.sluice.e2e.rtsql;
