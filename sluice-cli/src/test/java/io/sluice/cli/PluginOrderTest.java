package io.sluice.cli;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher puts {@code lib/*} on the class path, which the JVM expands in the file system's
 * directory order, so the distribution's modules reach {@code ServiceLoader} in an order that
 * differs between machines. The registry must not depend on it: the same types, in the same
 * order, in every "use one of [...]" message and in which plugin wins a contested name.
 */
class PluginOrderTest {

    /** Lists every resource in the reverse of its parent's order, as another file system might. */
    private static final class ReversingLoader extends ClassLoader {
        ReversingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = Collections.list(getParent().getResources(name));
            Collections.reverse(urls);
            return Collections.enumeration(urls);
        }
    }

    private static List<String> classNames(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        for (ComponentFactory<?> f : ComponentRegistry.discover(loader)) {
            names.add(f.getClass().getName());
        }
        return names;
    }

    @Test
    void theClassPathOrderDoesNotChangeTheRegistry() {
        ClassLoader normal = getClass().getClassLoader();
        ClassLoader reversed = new ReversingLoader(normal);
        assertThat(classNames(normal)).as("the distribution has several plugin modules").hasSizeGreaterThan(40);
        assertThat(classNames(reversed)).containsExactlyElementsOf(classNames(normal));
        assertThat(ComponentRegistry.withPlugins(reversed).aliases(ComponentKind.SINK))
                .containsExactlyElementsOf(ComponentRegistry.withPlugins(normal).aliases(ComponentKind.SINK));
    }
}
