/**
 * Finds component factories by type name: the built-in list in {@link
 * io.sluice.core.registry.BuiltinComponents}, plugins registered through {@code ServiceLoader},
 * and fully qualified class names. Thread-safe once built.
 */
package io.sluice.core.registry;
