/**
 * End-to-end tests of the avro source, sink and client against real Apache Flume 1.11 processes
 * and chains of real Sluice agent processes: interoperability both ways (plain, deflate, TLS),
 * {@code kill -9} and restarts in an A &rarr; B &rarr; C chain, sink groups and bad input. The
 * fixtures here (collector, key stores, Flume client driver) are used by one test thread each.
 */
package io.sluice.e2e.avro;
