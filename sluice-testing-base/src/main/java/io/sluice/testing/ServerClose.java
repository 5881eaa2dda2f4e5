package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** Whether a server closed a test's client socket. Stateless. */
public final class ServerClose {
    private ServerClose() {
    }

    /**
     * Reads (and drops) whatever the server answers until it closes the connection (end of stream or
     * reset): true; false when the socket's read timeout passes first.
     */
    public static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // drain whatever was answered
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
