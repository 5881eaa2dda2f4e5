package io.sluice.avro;

import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.IpFilterRuleType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Apache Flume's {@code ipFilterRules} syntax: comma-separated {@code allow|deny:ip|name:pattern}
 * rules, where the pattern may use {@code *} as a wildcard, e.g.
 * {@code allow:ip:127.*,allow:name:localhost,deny:ip:*}. The first matching rule decides; a
 * connection that matches no rule is accepted.
 *
 * <p>Immutable and thread-safe.
 */
final class IpFilterRules {

    private IpFilterRules() {
    }

    /** Parses the rules; throws {@link IllegalArgumentException} naming the bad rule. */
    static List<IpFilterRule> parse(String text) {
        requireNonNull(text, "text is null");
        List<IpFilterRule> rules = new ArrayList<>();
        for (String raw : text.split(",")) {
            String r = raw.trim();
            if (r.isEmpty()) {
                continue;
            }
            String[] parts = r.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("rule '" + r + "' is not allow|deny:ip|name:pattern");
            }
            String action = parts[0].trim().toLowerCase(Locale.ROOT);
            String kind = parts[1].trim().toLowerCase(Locale.ROOT);
            if (!action.equals("allow") && !action.equals("deny")) {
                throw new IllegalArgumentException("rule '" + r + "' must start with allow or deny");
            }
            if (!kind.equals("ip") && !kind.equals("name")) {
                throw new IllegalArgumentException("rule '" + r + "' must match on ip or name");
            }
            rules.add(new PatternRule(action.equals("allow"), kind.equals("name"), parts[2].trim()));
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no rule given");
        }
        return rules;
    }

    /** One rule: a glob over the client's IP address text or host name. */
    static final class PatternRule implements IpFilterRule {
        private final boolean allow;
        private final boolean byName;
        private final Pattern pattern;
        private final String text;

        PatternRule(boolean allow, boolean byName, String glob) {
            this.allow = allow;
            this.byName = byName;
            this.text = glob;
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            this.pattern = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
        }

        @Override
        public boolean matches(InetSocketAddress remote) {
            String subject = byName ? remote.getAddress().getHostName() : remote.getAddress().getHostAddress();
            return pattern.matcher(subject).matches();
        }

        @Override
        public IpFilterRuleType ruleType() {
            return allow ? IpFilterRuleType.ACCEPT : IpFilterRuleType.REJECT;
        }

        @Override
        public String toString() {
            return (allow ? "allow" : "deny") + ":" + (byName ? "name" : "ip") + ":" + text;
        }
    }
}
