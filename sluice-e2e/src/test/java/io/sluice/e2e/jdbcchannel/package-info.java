/** End-to-end tests of the jdbc channel in a real agent process. */
package io.sluice.e2e.jdbcchannel;
