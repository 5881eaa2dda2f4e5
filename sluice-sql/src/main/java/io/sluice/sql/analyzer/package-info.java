/**
 * Semantic analysis and planning: {@link io.sluice.sql.analyzer.Analyzer} resolves names, types,
 * implicit widening, aggregates and windows into an {@link io.sluice.sql.analyzer.Analysis}, with
 * every problem reported at its position; {@link io.sluice.sql.analyzer.Planner} turns an analysis
 * into the logical plan. Analyzers are not thread-safe (one per statement; the
 * {@link io.sluice.sql.analyzer.Catalog} it reads must be thread-safe); the planner is stateless.
 */
package io.sluice.sql.analyzer;
