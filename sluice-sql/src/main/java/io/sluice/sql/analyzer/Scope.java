package io.sluice.sql.analyzer;

import io.sluice.sql.SqlType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The fields of a relation, in row order, and the names of the streams it reads. Immutable. */
record Scope(List<Field> fields, List<String> sources, boolean unresolved) {
    Scope(List<Field> fields, List<String> sources) {
        this(fields, sources, false);
    }

    Scope {
        fields = List.copyOf(fields);
        sources = List.copyOf(sources);
    }

    int width() {
        return fields.size();
    }

    /** This scope followed by {@code right}, whose indexes move past this one's. */
    Scope join(Scope right, boolean rightNullable) {
        List<Field> all = new ArrayList<>(fields);
        for (Field f : right.fields) {
            SqlType t = rightNullable ? f.type().withNullable(true) : f.type();
            all.add(new Field(f.qualifiers(), f.name(), t, f.index() + width(), f.header()));
        }
        List<String> src = new ArrayList<>(sources);
        src.addAll(right.sources);
        return new Scope(all, src, unresolved || right.unresolved);
    }

    Set<String> qualifiers() {
        Set<String> q = new LinkedHashSet<>();
        for (Field f : fields) {
            q.addAll(f.qualifiers());
        }
        return q;
    }
}
