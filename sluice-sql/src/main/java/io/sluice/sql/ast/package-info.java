/**
 * The abstract syntax tree of rtsql: immutable records with positions, built from the ANTLR parse
 * tree at once by {@link io.sluice.sql.parser.SqlParser}. Thread-safe.
 */
package io.sluice.sql.ast;
