package io.sluice.core.config.filter;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.AgentProperties;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an agent's config filters from {@code <agent>.configfilters = f1 f2} and
 * {@code <agent>.configfilters.<name>.type} (Apache Flume's aliases {@code env}, {@code external},
 * or their Flume class names) with each type's keys ({@code external}: {@code command},
 * {@code charset}). Stateless.
 */
public final class ConfigFilters {
    static final String ENV_CLASS = "org.apache.flume.configfilter.EnvironmentVariableConfigFilter";
    static final String EXTERNAL_CLASS = "org.apache.flume.configfilter.ExternalProcessConfigFilter";
    static final String HADOOP_CLASS = "org.apache.flume.configfilter.HadoopCredentialStoreConfigFilter";

    private ConfigFilters() {
    }

    /**
     * The filters of {@code agentName}, by name; every configuration mistake is added to
     * {@code problems} and that filter left out.
     */
    public static Map<String, ConfigFilter> of(String agentName, Map<String, String> all, Map<String, String> environment,
            List<ConfigProblem> problems) {
        Map<String, ConfigFilter> filters = new LinkedHashMap<>();
        String list = all.get(agentName + ".configfilters");
        if (list == null) {
            return filters;
        }
        for (String name : AgentProperties.split(list)) {
            String prefix = agentName + ".configfilters." + name + ".";
            int before = problems.size();
            String type = all.get(prefix + "type");
            String t = type == null ? "" : type.trim();
            if (t.isEmpty()) {
                problems.add(new ConfigProblem(prefix + "type", type, "config filter '" + name + "' has no type",
                        "set it to env (environment variables) or external (a command's output)"));
            } else if (t.equalsIgnoreCase("env") || t.equals(ENV_CLASS)) {
                filters.put(name, new EnvironmentFilter(environment));
            } else if (t.equalsIgnoreCase("external") || t.equals(EXTERNAL_CLASS)) {
                ConfigFilter f = external(name, prefix, all, problems);
                if (f != null) {
                    filters.put(name, f);
                }
            } else if (t.equalsIgnoreCase("hadoop") || t.equals(HADOOP_CLASS)) {
                problems.add(new ConfigProblem(prefix + "type", type, "the hadoop config filter needs Hadoop's credential"
                        + " store, which Sluice does not include", "use type = external with a command that prints the"
                        + " secret (for example one that runs 'hadoop credential'), or env"));
            } else {
                problems.add(new ConfigProblem(prefix + "type", type, "config filter type '" + t + "' is not supported",
                        "use env (environment variables) or external (a command's output)"));
            }
            if (problems.size() > before) {
                // References to it get a problem that points here, not a misleading "unknown name".
                filters.put(name, key -> {
                    throw new ConfigFilter.FilterException("uses config filter '" + name + "', which has a problem of its"
                            + " own (" + prefix + "*)", "fix the keys of config filter '" + name + "'");
                });
            }
        }
        return filters;
    }

    private static ConfigFilter external(String name, String prefix, Map<String, String> all,
            List<ConfigProblem> problems) {
        String command = all.get(prefix + "command");
        if (command == null || command.isBlank()) {
            problems.add(new ConfigProblem(prefix + "command", command, "an external config filter needs a command",
                    "set " + prefix + "command to a program that prints the value of the key given as its last argument"));
            return null;
        }
        String charsetName = all.getOrDefault(prefix + "charset", "UTF-8").trim();
        Charset charset;
        try {
            charset = Charset.forName(charsetName);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            problems.add(new ConfigProblem(prefix + "charset", charsetName, "is not a character set this JVM knows",
                    "use e.g. UTF-8 or ISO-8859-1"));
            return null;
        }
        return new ExternalCommandFilter(name, command, charset);
    }
}
