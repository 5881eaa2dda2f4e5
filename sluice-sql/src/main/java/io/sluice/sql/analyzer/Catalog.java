package io.sluice.sql.analyzer;

import io.sluice.sql.plan.StreamDef;

import java.util.Collection;
import java.util.Optional;

/** The streams the analyzer can see. Implementations must be thread-safe. */
public interface Catalog {
    Optional<StreamDef> stream(String name);

    Collection<String> streamNames();
}
