package io.sluice.sql.expr;

import io.sluice.sql.SqlType;

import java.util.List;

/** {@code CASE WHEN c THEN r ... ELSE e END}: the first TRUE condition's result, else e (or NULL). */
public record CaseEval(List<Evaluator> conditions, List<Evaluator> results, Evaluator otherwise, SqlType type)
        implements Evaluator {
    @Override
    public Object eval(Object[] row, long time) {
        for (int i = 0; i < conditions.size(); i++) {
            if (Boolean.TRUE.equals(conditions.get(i).eval(row, time))) {
                return results.get(i).eval(row, time);
            }
        }
        return otherwise == null ? null : otherwise.eval(row, time);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CASE");
        for (int i = 0; i < conditions.size(); i++) {
            sb.append(" WHEN ").append(conditions.get(i)).append(" THEN ").append(results.get(i));
        }
        if (otherwise != null) {
            sb.append(" ELSE ").append(otherwise);
        }
        return sb.append(" END").toString();
    }
}
