package io.sluice.sql.function;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every function a query may call: the built-ins, then user functions found through
 * {@link ServiceLoader}. A user function may not take a built-in's name (it is skipped with a
 * warning). Immutable after construction; thread-safe.
 */
public final class FunctionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionRegistry.class);

    /** Names of the built-in aggregates. */
    public static final Set<String> BUILTIN_AGGREGATES =
            Set.of("count", "sum", "min", "max", "avg", "first", "last");

    private final Map<String, ScalarFunction> scalars = new LinkedHashMap<>();
    private final Map<String, AggregateFunction> aggregates = new LinkedHashMap<>();

    public FunctionRegistry(ClassLoader loader) {
        for (ScalarFunction f : BuiltinFunctions.all()) {
            scalars.put(f.name(), f);
        }
        try {
            for (ScalarFunction f : ServiceLoader.load(ScalarFunction.class, loader)) {
                String n = f.name().toLowerCase(Locale.ROOT);
                if (taken(n)) {
                    LOG.warn("[rtsql] user function {} ({}) skipped: the name is already taken", n, f.getClass().getName());
                } else {
                    scalars.put(n, f);
                }
            }
            for (AggregateFunction f : ServiceLoader.load(AggregateFunction.class, loader)) {
                String n = f.name().toLowerCase(Locale.ROOT);
                if (taken(n)) {
                    LOG.warn("[rtsql] user aggregate {} ({}) skipped: the name is already taken", n, f.getClass().getName());
                } else {
                    aggregates.put(n, f);
                }
            }
        } catch (ServiceConfigurationError e) {
            LOG.error("[rtsql] a user function could not be loaded: {}", e.getMessage());
        }
    }

    private boolean taken(String n) {
        return scalars.containsKey(n) || aggregates.containsKey(n) || BUILTIN_AGGREGATES.contains(n)
                || BuiltinFunctions.CONTEXT_FUNCTIONS.containsKey(n);
    }

    public Optional<ScalarFunction> scalar(String name) {
        return Optional.ofNullable(scalars.get(name));
    }

    public Optional<AggregateFunction> aggregate(String name) {
        return Optional.ofNullable(aggregates.get(name));
    }

    public boolean isAggregate(String name) {
        return BUILTIN_AGGREGATES.contains(name) || aggregates.containsKey(name);
    }

    /** Every name a query may call, for did-you-mean suggestions. */
    public List<String> names() {
        List<String> n = new ArrayList<>(scalars.keySet());
        n.addAll(aggregates.keySet());
        n.addAll(BUILTIN_AGGREGATES);
        n.addAll(BuiltinFunctions.CONTEXT_FUNCTIONS.keySet());
        Collections.sort(n);
        return n;
    }

    /** Rows of (name, kind, signature) for SHOW FUNCTIONS, sorted by name. */
    public List<List<Object>> describeAll() {
        Map<String, List<Object>> rows = new TreeMap<>();
        for (ScalarFunction f : scalars.values()) {
            rows.put(f.name(), List.of(f.name().toUpperCase(Locale.ROOT), "scalar", f.signature()));
        }
        BuiltinFunctions.CONTEXT_FUNCTIONS.forEach((k, v) -> rows.put(k, List.of(k.toUpperCase(Locale.ROOT), "scalar", v)));
        rows.put("count", List.of("COUNT", "aggregate", "COUNT(*) | COUNT(x) | COUNT(DISTINCT x) -> BIGINT"));
        rows.put("sum", List.of("SUM", "aggregate", "SUM(number) -> BIGINT for integers, DOUBLE for FLOAT/DOUBLE, PRECISE(n) for PRECISE(n)"));
        rows.put("min", List.of("MIN", "aggregate", "MIN(x) -> the type of x"));
        rows.put("max", List.of("MAX", "aggregate", "MAX(x) -> the type of x"));
        rows.put("avg", List.of("AVG", "aggregate", "AVG(number) -> DOUBLE"));
        rows.put("first", List.of("FIRST", "aggregate", "FIRST(x) -> the earliest non-NULL x by event time"));
        rows.put("last", List.of("LAST", "aggregate", "LAST(x) -> the latest non-NULL x by event time"));
        for (AggregateFunction f : aggregates.values()) {
            rows.put(f.name(), List.of(f.name().toUpperCase(Locale.ROOT), "aggregate", f.signature()));
        }
        return new ArrayList<>(rows.values());
    }

    /** The signature of function {@code name}, for DESCRIBE. */
    public Optional<String> signature(String name) {
        for (List<Object> r : describeAll()) {
            if (((String) r.get(0)).equalsIgnoreCase(name)) {
                return Optional.of((String) r.get(2));
            }
        }
        return Optional.empty();
    }
}
