package io.sluice.flume.bridge;

import io.sluice.api.metrics.CounterGroup;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The counters of a component run through the Apache Flume bridge. A Flume plugin counts with
 * Flume's own {@code SourceCounter}, {@code SinkCounter} or {@code ChannelCounter}, which publish
 * themselves as JMX beans named {@code org.apache.flume.<type>:type=<component name>}; this group
 * reads that bean at each snapshot, so the plugin's counters appear in {@code /metrics} and
 * {@code /prometheus} under their Flume names, next to the bridge's own failure counters
 * ({@value #START_FAIL}, {@value #PROCESS_FAIL}). Thread-safe.
 */
public final class FlumeCounters extends CounterGroup {
    /** Times the plugin's {@code start()} threw; the component then stays stopped. */
    public static final String START_FAIL = "PluginStartFail";
    /** Times the plugin's {@code process()} threw; the runner backs off and calls it again. */
    public static final String PROCESS_FAIL = "PluginProcessFail";

    private static final Set<String> GAUGES = Set.of("ChannelSize", "ChannelCapacity", "ChannelFillPercentage",
            "OpenConnectionCount", "StartTime", "StopTime");

    private final ObjectName beanName;

    /** {@code type} is {@code SOURCE}, {@code SINK}, {@code CHANNEL}, ... as in Apache Flume's JSON. */
    public FlumeCounters(String type, String name) {
        super(type, name, START_FAIL, PROCESS_FAIL);
        ObjectName on;
        try {
            on = new ObjectName("org.apache.flume." + type.toLowerCase(Locale.ENGLISH) + ":type=" + name);
        } catch (JMException e) {
            on = null; // a name JMX cannot hold: the plugin's own counters cannot be published either
        }
        this.beanName = on;
    }

    @Override
    public Map<String, Number> snapshot() {
        Map<String, Number> own = super.snapshot();
        Map<String, Number> plugin = pluginCounters();
        if (plugin.isEmpty()) {
            return own;
        }
        Map<String, Number> out = new LinkedHashMap<>(plugin);
        for (Map.Entry<String, Number> e : own.entrySet()) {
            if (e.getKey().equals("StartTime") || e.getKey().equals("StopTime")) {
                out.putIfAbsent(e.getKey(), e.getValue());
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @Override
    public long get(String counterName) {
        if (!isOwn(counterName)) {
            Number n = pluginCounters().get(counterName);
            if (n != null) {
                return n.longValue();
            }
        }
        return super.get(counterName);
    }

    @Override
    public boolean isCounter(String counterName) {
        if (isOwn(counterName)) {
            return true;
        }
        return !GAUGES.contains(counterName) && (counterName.endsWith("Count") || counterName.endsWith("Fail"));
    }

    private static boolean isOwn(String counterName) {
        return counterName.equals(START_FAIL) || counterName.equals(PROCESS_FAIL);
    }

    /** The numeric attributes of the plugin's bean, sorted by name; empty when it registered none. */
    Map<String, Number> pluginCounters() {
        if (beanName == null) {
            return Map.of();
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Number> out = new TreeMap<>();
        try {
            if (!server.isRegistered(beanName)) {
                return Map.of();
            }
            MBeanAttributeInfo[] infos = server.getMBeanInfo(beanName).getAttributes();
            String[] names = new String[infos.length];
            for (int i = 0; i < infos.length; i++) {
                names[i] = infos[i].getName();
            }
            for (Attribute a : server.getAttributes(beanName, names).asList()) {
                if (a.getValue() instanceof Number) {
                    out.put(a.getName(), (Number) a.getValue());
                }
            }
        } catch (JMException | RuntimeException e) {
            return Map.of(); // the bean went away between the calls: the component was stopped
        }
        return out;
    }
}
