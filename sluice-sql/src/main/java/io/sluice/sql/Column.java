package io.sluice.sql;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/** A named, typed column of a stream or of a flow's output. Immutable and thread-safe. */
public final class Column {
    private final String name;
    private final SqlType type;

    public Column(String name, SqlType type) {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
    }

    public String name() {
        return name;
    }

    public SqlType type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Column && ((Column) o).name.equals(name) && ((Column) o).type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type);
    }

    @Override
    public String toString() {
        return name + " " + type;
    }
}
