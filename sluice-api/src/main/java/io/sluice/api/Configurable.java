package io.sluice.api;

import io.sluice.api.config.ComponentContext;

/**
 * For components named by class name in a configuration: the class has a public no-argument
 * constructor and reads its settings here. Problems go to {@code context}, never to a silent
 * default.
 */
public interface Configurable {

    void configure(ComponentContext context);
}
