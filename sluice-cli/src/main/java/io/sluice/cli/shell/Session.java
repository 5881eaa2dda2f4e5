package io.sluice.cli.shell;

import io.sluice.sql.RtsqlException;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The backend a shell currently talks to, which {@code \c host:port} and {@code \disconnect}
 * change. A local shell has no connector and keeps its engine. Thread-safe (the backend is
 * volatile; changes come from the shell's thread).
 */
final class Session {
    /** Connects to {@code host:port}; throws with what went wrong. */
    @FunctionalInterface
    interface Connector {
        ShellBackend connect(String address) throws RtsqlException;
    }

    private final Connector connector;
    private volatile ShellBackend backend;

    Session(ShellBackend backend, Connector connector) {
        this.backend = backend;
        this.connector = connector;
    }

    /** A session over one backend that cannot connect elsewhere (the local shell). */
    static Session of(ShellBackend backend) {
        return new Session(requireNonNull(backend, "backend is null"), null);
    }

    /** The backend, or an error saying how to connect. */
    ShellBackend backend() throws RtsqlException {
        ShellBackend b = backend;
        if (b == null) {
            throw new RtsqlException("not connected; \\c host:port connects to a server");
        }
        return b;
    }

    boolean canConnect() {
        return connector != null;
    }

    /** Connects to {@code address}, leaving the old server (its flows keep running). */
    String connect(String address) throws RtsqlException {
        if (connector == null) {
            throw new RtsqlException("this shell runs a local engine; start 'sluice shell --connect host:port' to"
                    + " use a server");
        }
        ShellBackend next = connector.connect(address);
        ShellBackend old = backend;
        backend = next;
        if (old != null) {
            old.close();
        }
        return "connected to " + next.describe();
    }

    String disconnect() {
        ShellBackend old = backend;
        if (old == null || connector == null) {
            return connector == null ? "this shell runs a local engine; \\q quits" : "not connected";
        }
        backend = null;
        old.close();
        return "disconnected from " + old.describe() + "; its flows keep running (\\c host:port connects again)";
    }

    /** Applies {@code f} to the backend, or returns null when not connected. */
    <T> T withBackend(Function<ShellBackend, T> f) {
        ShellBackend b = backend;
        return b == null ? null : f.apply(b);
    }

    void close() {
        ShellBackend b = backend;
        if (b != null) {
            b.close();
        }
    }
}
