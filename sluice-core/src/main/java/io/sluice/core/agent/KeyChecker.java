package io.sluice.core.agent;

import io.sluice.api.text.DidYouMean;
import io.sluice.core.config.ConfigSession;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * After every component has read its keys: warns about components that have keys but are not
 * listed (they are ignored) and about keys nobody read, naming the nearest known key. Used by one
 * thread.
 */
final class KeyChecker {
    private static final List<String> WORDS = List.of("sources", "channels", "sinks", "sinkgroups");

    private final ConfigSession session;
    private final String agent;

    KeyChecker(ConfigSession session, String agent) {
        this.session = session;
        this.agent = agent;
    }

    void check(List<String> sources, List<String> channels, List<String> sinks, List<String> groups) {
        Set<String> reportedUnlisted = new HashSet<>();
        for (String key : session.properties().all().keySet()) {
            if (session.isRead(key)) {
                continue;
            }
            String unlisted = unlistedComponent(key, List.of(sources, channels, sinks, groups));
            if (unlisted != null) {
                if (reportedUnlisted.add(unlisted)) {
                    String word = unlisted.substring(agent.length() + 1, unlisted.lastIndexOf('.'));
                    String name = unlisted.substring(unlisted.lastIndexOf('.') + 1);
                    session.warn(unlisted + ": '" + name + "' is defined but not listed in " + agent + "." + word
                            + ", so it is ignored (add it to " + agent + "." + word + " to run it)");
                }
                continue;
            }
            String owner = session.owningPrefix(key);
            if (owner == null) {
                String rel = key.substring(agent.length() + 1);
                session.warn(key + ": unknown key, ignored" + DidYouMean.suggest(rel, WORDS));
                continue;
            }
            String rel = key.substring(owner.length());
            session.warn(key + ": unknown key, ignored" + DidYouMean.suggest(rel, session.knownKeysOf(owner)));
        }
    }

    /** {@code a1.sources.r9} when {@code key} belongs to a component that is not listed, else null. */
    private String unlistedComponent(String key, List<List<String>> listed) {
        for (int i = 0; i < WORDS.size(); i++) {
            String prefix = agent + "." + WORDS.get(i) + ".";
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot < 0) {
                    return null;
                }
                String name = rest.substring(0, dot);
                return listed.get(i).contains(name) ? null : prefix + name;
            }
        }
        return null;
    }
}
