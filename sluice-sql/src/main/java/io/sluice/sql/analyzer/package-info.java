/**
 * Semantic analysis: names, types, implicit widening, aggregates and windows, from the AST to the
 * logical plan, with every problem reported at its position. Not thread-safe: one analyzer per
 * statement; the {@link io.sluice.sql.analyzer.Catalog} it reads must be thread-safe.
 */
package io.sluice.sql.analyzer;
