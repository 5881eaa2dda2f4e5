package io.sluice.core.agent;

/**
 * A valid changed configuration whose new or changed components did not start; the agent applied
 * its previous configuration again (the message and the log say whether that worked).
 */
public final class ReloadFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReloadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
