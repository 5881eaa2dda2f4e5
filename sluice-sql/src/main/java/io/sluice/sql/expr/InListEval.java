package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.util.List;

/** {@code x IN (a, b, ...)}: TRUE on a match, else NULL if x or any item is NULL, else FALSE. */
public record InListEval(Evaluator value, List<Evaluator> items) implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        Object v = value.eval(row, time);
        if (v == null) {
            return null;
        }
        boolean sawNull = false;
        for (Evaluator e : items) {
            Object o = e.eval(row, time);
            if (o == null) {
                sawNull = true;
            } else if (Values.equal(v, o)) {
                return Boolean.TRUE;
            }
        }
        return sawNull ? null : Boolean.FALSE;
    }

    @Override
    public SqlType type() {
        return SqlType.BOOLEAN;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(").append(value).append(" IN (");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(items.get(i));
        }
        return sb.append("))").toString();
    }
}
