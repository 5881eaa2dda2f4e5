/**
 * Components written the way third parties write them for Apache Flume 1.11: against
 * {@code org.apache.flume.*} only, configured through {@code Context}, counting through Flume's
 * counter classes. Sluice's tests load this jar from a {@code plugins.d} directory, and run the same
 * jar under Apache Flume to compare the output. Each class says whether it is thread-safe.
 */
package com.acme.flume;
