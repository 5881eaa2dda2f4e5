package io.sluice.sql.analyzer;

import io.sluice.sql.SqlType;

import java.util.Set;

/**
 * One column visible in a scope: the names it may be qualified with, its name, type and index in
 * the input row. A hidden field holds an event header ({@code header} set) and is only reached
 * through {@code #name}. Immutable.
 */
record Field(Set<String> qualifiers, String name, SqlType type, int index, String header) {
    boolean hidden() {
        return header != null;
    }
}
