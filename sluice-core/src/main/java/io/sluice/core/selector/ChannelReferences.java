package io.sluice.core.selector;

import java.util.List;
import java.util.Map;

/**
 * Implemented by a selector whose keys name channels, so the agent can check every named channel
 * is one of the source's channels and report the exact key when it is not.
 */
public interface ChannelReferences {

    /** Relative key (e.g. {@code mapping.CA}) to the channel names it lists. */
    Map<String, List<String>> channelReferences();
}
