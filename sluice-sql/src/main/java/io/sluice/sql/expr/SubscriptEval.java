package io.sluice.sql.expr;

import io.sluice.sql.SqlType;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code map[key]}: the value a MAP holds under a key, NULL when the map or the key is NULL or the
 * key is absent. The key evaluator already has the map's key type. Immutable and thread-safe.
 */
public final class SubscriptEval implements Evaluator {
    private final Evaluator map;
    private final Evaluator key;
    private final SqlType type;

    public SubscriptEval(Evaluator map, Evaluator key) {
        this.map = requireNonNull(map, "map is null");
        this.key = requireNonNull(key, "key is null");
        this.type = map.type().elementType().withNullable(true);
    }

    @Override
    public Object eval(Object[] row, long time) {
        Object m = map.eval(row, time);
        if (m == null) {
            return null;
        }
        Object k = key.eval(row, time);
        return k == null ? null : ((Map<?, ?>) m).get(Values.hashKey(k));
    }

    @Override
    public SqlType type() {
        return type;
    }

    @Override
    public boolean isConstant() {
        return map.isConstant() && key.isConstant();
    }

    @Override
    public String toString() {
        return map + "[" + key + "]";
    }
}
