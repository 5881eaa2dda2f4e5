/**
 * The rtsql grammar (generated ANTLR parser), the builder that turns its parse tree into the AST at
 * once, and the script splitter. Thread-safe: every parse uses its own parser instance.
 */
package io.sluice.sql.parser;
