package io.sluice.core.support;

import io.sluice.api.config.ComponentContext;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.DefaultComponentContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sink's exactly-once mode ({@code hdfs.exactlyOnce}, {@code sink.exactlyOnce} of
 * {@code file_roll}) needs of the rest of the agent: the sink reads a
 * {@code file} channel (only a durable channel can name an event's position and give the same
 * events back after a crash) and is that channel's only sink (another consumer would take events
 * out of the positions the sink records, so it could no longer tell what HDFS holds). Each
 * violation is reported with the key to change. Stateless.
 */
public final class ExactlyOnceRules {

    private ExactlyOnceRules() {
    }

    /**
     * Reports every problem to {@code context}, naming {@code key} (the sink's exactly-once key,
     * relative to the sink); true when there was none.
     */
    public static boolean check(ComponentContext context, String key) {
        if (!(context instanceof DefaultComponentContext dc)) {
            return true;
        }
        AgentProperties props = dc.session().properties();
        String channel = context.raw("channel").map(String::trim).orElse(null);
        if (channel == null || channel.isEmpty()) {
            return true; // the missing channel is reported by the agent's own checks
        }
        boolean ok = true;
        String type = props.get("channels." + channel + ".type").map(String::trim).orElse("");
        if (!type.equalsIgnoreCase("file") && !type.equals("org.apache.flume.channel.file.FileChannel")) {
            context.problem(key, "true", "needs a file channel, but channel '" + channel + "' is of type '"
                    + type + "', whose events cannot be found again after a crash",
                    "set " + props.agentName() + ".channels." + channel + ".type = file, or set "
                            + context.fullKey(key) + " = false");
            ok = false;
        }
        List<String> others = new ArrayList<>();
        for (String sink : props.list("sinks")) {
            if (!sink.equals(context.name())
                    && props.get("sinks." + sink + ".channel").map(String::trim).orElse("").equals(channel)) {
                others.add(sink);
            }
        }
        if (!others.isEmpty()) {
            context.problem(key, "true", "needs to be the only sink of channel '" + channel + "', but "
                    + String.join(", ", others) + (others.size() == 1 ? " reads" : " read") + " it too, so the"
                    + " positions this sink records would have gaps it cannot account for",
                    "give " + String.join(", ", others) + " a channel of its own (a replicating selector can feed"
                            + " both), or set " + context.fullKey(key) + " = false");
            ok = false;
        }
        return ok;
    }
}
