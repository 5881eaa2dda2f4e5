package io.sluice.sql.ast;

/**
 * One item of a select list: an expression with an optional alias and its source text, or a star
 * ({@code *} or {@code stream.*}, with {@code expr} null).
 */
public record SelectItem(Pos pos, Expr expr, String alias, String text, boolean star, String starQualifier) {
}
