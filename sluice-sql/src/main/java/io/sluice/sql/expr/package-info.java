/**
 * Compiled expression evaluators and value conversions. Evaluators are immutable and thread-safe;
 * they read rows by column index and never look names up while running.
 */
package io.sluice.sql.expr;
