package io.sluice.sql.ast;

import io.sluice.sql.SqlType;

/** {@code name type [NOT NULL]} in CREATE STREAM; the type carries the nullability. */
public record ColumnDef(Pos pos, String name, SqlType type) {
}
