package io.sluice.sql.analyzer;

import io.sluice.sql.RtsqlException;
import io.sluice.sql.ast.Pos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects analysis problems with their positions. Not thread-safe; one per analysis. */
final class Problems {
    private record Problem(Pos pos, String message) {
    }

    private final List<Problem> list = new ArrayList<>();

    void add(Pos pos, String message) {
        for (Problem p : list) {
            if (p.pos.equals(pos) && p.message.equals(message)) {
                return;
            }
        }
        list.add(new Problem(pos, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    void throwIfAny() throws RtsqlException {
        if (list.isEmpty()) {
            return;
        }
        List<Problem> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingInt((Problem p) -> p.pos.line()).thenComparingInt(p -> p.pos.column()));
        List<String> lines = new ArrayList<>();
        for (Problem p : sorted) {
            lines.add(p.pos.line() > 0 ? "line " + p.pos.line() + ":" + p.pos.column() + ": " + p.message : p.message);
        }
        Pos first = sorted.get(0).pos;
        throw new RtsqlException(first.line(), first.column(), lines);
    }
}
