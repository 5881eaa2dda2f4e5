package io.sluice.sql;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.analyzer.Catalog;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.plan.StreamDef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The streams an engine knows: each one's definition, the statement that declared it (what a
 * metastore records to declare it again), the streams a derived stream is defined from, and the
 * inputs of streams fed from Java or shared by the flows reading an endless source.
 *
 * <p>Thread-safe: every method holds this object's monitor, which is also the engine's lock (the
 * {@link FlowLauncher} holds it while it plans and wires a flow, so the catalog cannot change under a
 * starting flow). Listeners are called under the lock, after the change.
 */
final class StreamCatalog implements Catalog {
    /** One declared stream. */
    record Entry(StreamDef def, String statement, Set<String> dependsOn) {
    }

    private final Map<String, Entry> streams = new LinkedHashMap<>();
    /** Inputs of INPUT streams and of shared endless NODE/SOURCE streams, by stream name. */
    private final Map<String, StreamInput> inputs = new HashMap<>();
    private final List<CatalogListener> listeners = new ArrayList<>();

    @Override
    public synchronized Optional<StreamDef> stream(String name) {
        Entry e = streams.get(name);
        return e == null ? Optional.empty() : Optional.of(e.def());
    }

    @Override
    public synchronized Collection<String> streamNames() {
        return List.copyOf(streams.keySet());
    }

    synchronized List<Entry> entries() {
        return List.copyOf(streams.values());
    }

    synchronized void addListener(CatalogListener l) {
        listeners.add(requireNonNull(l, "listener is null"));
    }

    synchronized List<CatalogListener> listeners() {
        return List.copyOf(listeners);
    }

    /** Fails if {@code name} is taken. */
    synchronized void checkNewName(Pos pos, String name) throws RtsqlException {
        if (streams.containsKey(name)) {
            throw new RtsqlException(pos.line(), pos.column(), "stream '" + name + "' already exists; DROP STREAM "
                    + name + " first, or choose another name");
        }
    }

    /** Adds a stream; {@code statement} is the text that declared it (null for Java-fed streams). */
    synchronized void add(StreamDef def, String statement, Set<String> dependsOn) {
        streams.put(def.name(), new Entry(def, statement, Set.copyOf(dependsOn)));
        if (statement != null) {
            for (CatalogListener l : listeners) {
                l.streamCreated(def.name(), statement);
            }
        }
    }

    /** Fails unless {@code name} exists, suggesting a near name. */
    synchronized Entry require(Pos pos, String name) throws RtsqlException {
        Entry e = streams.get(name);
        if (e == null) {
            throw new RtsqlException(pos.line(), pos.column(), "stream '" + name + "' does not exist"
                    + DidYouMean.suggest(name, streams.keySet()));
        }
        return e;
    }

    /** The stream defined from {@code name}, if any (then {@code name} cannot be dropped). */
    synchronized Optional<String> dependent(String name) {
        for (Entry e : streams.values()) {
            if (!e.def().name().equals(name) && e.dependsOn().contains(name)) {
                return Optional.of(e.def().name());
            }
        }
        return Optional.empty();
    }

    /** Removes a stream and ends its input, if it has one. */
    synchronized void remove(String name) {
        Entry e = streams.remove(name);
        StreamInput in = inputs.remove(name);
        if (in != null) {
            in.end();
        }
        if (e != null && e.statement() != null) {
            for (CatalogListener l : listeners) {
                l.streamDropped(name);
            }
        }
    }

    /** The live inputs, by stream name; callers hold this object's monitor. */
    Map<String, StreamInput> inputs() {
        return inputs;
    }

    synchronized Optional<StreamInput> input(String name) {
        return Optional.ofNullable(inputs.get(name));
    }
}
