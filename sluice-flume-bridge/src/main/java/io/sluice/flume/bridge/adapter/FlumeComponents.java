package io.sluice.flume.bridge.adapter;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.source.http.HttpEventDecoder;
import io.sluice.core.source.spooldir.SpoolDeserializerFactory;
import io.sluice.flume.bridge.FlumeClassResolver;
import io.sluice.flume.bridge.ProblemFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import org.apache.flume.Context;
import org.apache.flume.serialization.EventDeserializer;

/**
 * The adapter side's entry point, created by the bridge inside the plugin class loader: decides
 * what a plugin class is and returns the factory that runs it as the requested kind, or a factory
 * that reports why it cannot ("class com.acme.Foo is a Flume sink, not a source"). Stateless and
 * thread-safe.
 */
public final class FlumeComponents implements FlumeClassResolver {

    @Override
    public ComponentFactory<?> factoryFor(ComponentKind kind, Class<?> c) {
        String name = c.getName();
        FlumeKind found = FlumeKind.of(c);
        if (found == null) {
            if (implementsByName(c, FlumeKind.HTTP_HANDLER)) {
                return new ProblemFactory(kind, name, "class " + name + " is a Flume HTTP source handler, not "
                        + FlumeKind.wanted(kind), "name it in an http source's handler key");
            }
            return new ProblemFactory(kind, name, "class " + name + " is neither an Apache Flume 1.11 component nor a"
                    + " Sluice ComponentFactory", "name " + FlumeKind.wanted(kind) + " class here");
        }
        if (found.sluiceKind() != kind) {
            String hint = found == FlumeKind.INTERCEPTOR && kind == ComponentKind.INTERCEPTOR
                    || found == FlumeKind.SERIALIZER && kind == ComponentKind.EVENT_SERIALIZER
                    ? "name its Builder class instead, e.g. " + name + "$Builder"
                    : found.sluiceKind() != null ? "configure it as " + FlumeKind.wanted(found.sluiceKind())
                            + " instead, and name " + FlumeKind.wanted(kind) + " class here"
                    : "name " + FlumeKind.wanted(kind) + " class here";
            return new ProblemFactory(kind, name, "class " + name + " is " + found.description() + ", not "
                    + FlumeKind.wanted(kind), hint);
        }
        if (Modifier.isAbstract(c.getModifiers()) || c.isInterface()) {
            return new ProblemFactory(kind, name, "class " + name + " is abstract", "name a concrete class");
        }
        try {
            c.getConstructor();
        } catch (NoSuchMethodException e) {
            return new ProblemFactory(kind, name, "class " + name + " has no public no-argument constructor",
                    "Sluice, like Apache Flume, creates components with a public no-argument constructor");
        }
        return new FlumeFactory(kind, found, c);
    }

    @Override
    public <T> Optional<T> part(Class<T> type, Class<?> c, ComponentContext context, String key) {
        String name = c.getName();
        if (type == SpoolDeserializerFactory.class) {
            return spoolDeserializer(c, context, key).map(type::cast);
        }
        if (type != HttpEventDecoder.class) {
            context.problem(key, name, "class " + name + " cannot be used here", "name a " + type.getSimpleName()
                    + " class");
            return Optional.empty();
        }
        if (!implementsByName(c, FlumeKind.HTTP_HANDLER)) {
            FlumeKind k = FlumeKind.of(c);
            context.problem(key, name, "class " + name + " is " + (k == null ? "neither a Flume HTTPSourceHandler nor a"
                    + " Sluice HttpEventDecoder" : k.description() + ", not an HTTP source handler"),
                    "name an HTTP source handler class, or use handler = json");
            return Optional.empty();
        }
        Map<String, String> props = context.subProperties(key + ".");
        for (String k : props.keySet()) {
            context.raw(key + "." + k);
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(c.getClassLoader());
        try {
            org.apache.flume.source.http.HTTPSourceHandler handler =
                    (org.apache.flume.source.http.HTTPSourceHandler) c.getConstructor().newInstance();
            handler.configure(new Context(props));
            return Optional.of(type.cast(new HttpHandlerAdapter(handler)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            context.problem(key, name, "Flume HTTP source handler " + name + " could not be created or rejected its"
                    + " configuration: " + cause, "fix the keys under " + context.fullKey(key + "."));
            return Optional.empty();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * A spooldir {@code deserializer} naming a Flume {@code EventDeserializer$Builder}: the builder
     * is created once, now, and builds one deserializer per file over a {@link FlumeSpoolStream},
     * configured with the {@code deserializer.*} keys, as Flume's spooldir source does.
     */
    private static Optional<SpoolDeserializerFactory> spoolDeserializer(Class<?> c, ComponentContext context,
            String key) {
        String name = c.getName();
        if (!EventDeserializer.Builder.class.isAssignableFrom(c)) {
            FlumeKind k = FlumeKind.of(c);
            context.problem(key, name, "class " + name + " is " + (k == null ? "not a Flume EventDeserializer$Builder"
                    : k.description() + ", not an event deserializer builder"),
                    "name the Builder class of a Flume EventDeserializer (such as com.example.MyDeserializer$Builder),"
                            + " or LINE, BLOB or AVRO");
            return Optional.empty();
        }
        Map<String, String> props = context.subProperties(key + ".");
        for (String k : props.keySet()) {
            context.raw(key + "." + k); // the plugin's own keys: read, so none is reported as unknown
        }
        EventDeserializer.Builder builder;
        try {
            builder = (EventDeserializer.Builder) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            context.problem(key, name, "Flume deserializer builder " + name + " could not be created: " + e,
                    "give it a public no-argument constructor and put its dependencies in its plugin's libext");
            return Optional.empty();
        }
        ClassLoader loader = c.getClassLoader();
        return Optional.of((file, input) -> {
            FlumeSpoolStream stream = new FlumeSpoolStream(input);
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            try {
                EventDeserializer d = builder.build(new Context(props), stream);
                if (d == null) {
                    throw new IOException("the Flume deserializer builder " + name + " built nothing for " + file);
                }
                return new FlumeSpoolDeserializer(d, stream, loader);
            } catch (RuntimeException | LinkageError e) {
                stream.close();
                throw new IOException("the Flume deserializer builder " + name + " failed on " + file + ": " + e, e);
            } finally {
                t.setContextClassLoader(previous);
            }
        });
    }

    private static boolean implementsByName(Class<?> c, String interfaceName) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                if (i.getName().equals(interfaceName) || implementsByName(i, interfaceName)) {
                    return true;
                }
            }
        }
        return false;
    }
}
