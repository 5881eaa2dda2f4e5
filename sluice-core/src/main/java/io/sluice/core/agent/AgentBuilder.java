package io.sluice.core.agent;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Interceptor;
import io.sluice.api.Sink;
import io.sluice.api.SinkProcessor;
import io.sluice.api.Source;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.api.UpstreamAware;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.api.text.DidYouMean;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.ConfigSession;
import io.sluice.core.config.DefaultComponentContext;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.config.source.ConfigSources;
import io.sluice.core.config.source.FileConfigSource;
import io.sluice.core.interceptor.SourceCountingInterceptor;
import io.sluice.core.registry.ComponentRegistry;
import io.sluice.core.selector.ChannelReferences;
import io.sluice.core.sinkprocessor.DefaultSinkProcessor;
import io.sluice.core.sinkprocessor.SinkReferences;
import io.sluice.core.support.AbstractBatchSink;
import io.sluice.core.tap.TapKind;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@link AgentSpec} into built (not started) components, collecting every problem on the
 * way instead of stopping at the first: lists, types, channel references, selectors, interceptors,
 * sink groups, batch sizes against transaction capacities, then unknown keys as warnings. Factories
 * must not open sockets or files in {@code create}; that happens in {@code start}. Used by one thread.
 */
final class AgentBuilder {
    /** Agent-level key: true lets an agent with channels or sinks run without a source. */
    static final String ALLOW_NO_SOURCES = "allowNoSources";
    private final AgentSpec spec;
    private final ConfigSession session;
    private final AgentProperties props;
    private final String agent;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, Channel> builtChannels = new LinkedHashMap<>();
    private final Map<String, Channel> reuse;
    private final Map<String, List<CounterGroup>> counterGroups = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, DefaultChannelProcessor> channelProcessors = new LinkedHashMap<>();
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private final List<SinkGroup> groups = new ArrayList<>();
    private final ComponentGraph graph = new ComponentGraph();
    private final List<UpstreamAware.Feeder> feeders = new ArrayList<>();
    private final Map<String, String> sinkChannels = new LinkedHashMap<>();
    private List<String> channelNames = List.of();

    private AgentBuilder(AgentSpec spec, AgentProperties props, ComponentRegistry registry, CounterRegistry counters,
            Map<String, Channel> reuse) {
        this.spec = spec;
        this.props = props;
        this.reuse = reuse;
        this.agent = spec.agentName();
        this.session = new ConfigSession(props, registry, spec.clock(), counters, spec.dataDirectory());
    }

    /** Reads the spec's configuration and builds everything; the report says whether it may start. */
    static BuiltAgent build(AgentSpec spec, ComponentRegistry registry, CounterRegistry counters) {
        AgentProperties props;
        try {
            props = load(spec);
        } catch (ConfigSources.SourceReadException e) {
            return unreadable(spec, e);
        }
        return build(spec, props, registry, counters, Map.of());
    }

    /**
     * Builds {@code props}; a channel named in {@code reuse} is still built (so its keys are
     * checked) but the given running instance takes its place in the wiring (a reload keeps it).
     */
    static BuiltAgent build(AgentSpec spec, AgentProperties props, ComponentRegistry registry,
            CounterRegistry counters, Map<String, Channel> reuse) {
        return new AgentBuilder(spec, props, registry, counters, reuse).build();
    }

    /** The report of a configuration whose source cannot be read. */
    static BuiltAgent unreadable(AgentSpec spec, ConfigSources.SourceReadException e) {
        IOException cause = e.getCause();
        String why = cause instanceof NoSuchFileException ? "does not exist"
                : "cannot be read: " + cause.getMessage();
        String fix = cause instanceof OrderedProperties.NotUtf8Exception
                ? "save the configuration as UTF-8 (as Apache Flume reads it on a UTF-8 platform)"
                : e.source() instanceof FileConfigSource ? "check the path given with -f/--conf-file and its permissions"
                        : "check the source given to the agent (-u/--conf-uri, -z/--zkConnString) and that it is up";
        ConfigProblem p = new ConfigProblem(e.source().describe(), null, "the configuration source " + why, fix);
        return new BuiltAgent(new ValidationReport(agent(spec), spec.origin(), List.of(p), List.of(), ""),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of());
    }

    private static String agent(AgentSpec spec) {
        return spec.agentName();
    }

    static AgentProperties load(AgentSpec spec) throws ConfigSources.SourceReadException {
        if (!spec.sources().isEmpty()) {
            return AgentProperties.fromMap(spec.agentName(), ConfigSources.merge(spec.sources()), spec.overrides(),
                    spec.origin());
        }
        return AgentProperties.fromMap(spec.agentName(), spec.properties().orElse(Map.of()), spec.overrides(),
                spec.origin());
    }

    private BuiltAgent build() {
        List<String> sourceNames = list("sources");
        channelNames = list("channels");
        List<String> sinkNames = list("sinks");
        List<String> groupNames = list("sinkgroups");
        session.markRead(agent + ".configfilters");
        session.markPrefixRead(agent + ".configfilters.");
        if (props.all().isEmpty()) {
            return finish();
        }
        if (channelNames.isEmpty()) {
            problem(agent + ".channels", props.get("channels").orElse(null), "lists no channels",
                    "list the agent's channels, e.g. " + agent + ".channels = c1");
        }
        if (sourceNames.isEmpty() && sinkNames.isEmpty()) {
            problem(agent + ".sources", props.get("sources").orElse(null), "the agent lists no sources and no sinks",
                    "list them, e.g. " + agent + ".sources = r1 and " + agent + ".sinks = k1");
        } else {
            checkSourcesListed(sourceNames);
        }
        for (String c : channelNames) {
            recordingCounters(agent + ".channels." + c, () -> buildChannel(c));
        }
        for (String s : sourceNames) {
            recordingCounters(agent + ".sources." + s, () -> buildSource(s));
        }
        for (String k : sinkNames) {
            if (!isSinkGroupListedAsSink(k, groupNames)) {
                recordingCounters(agent + ".sinks." + k, () -> buildSink(k));
            }
        }
        Set<String> grouped = new HashSet<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (String g : groupNames) {
            recordingCounters(agent + ".sinkgroups." + g, () -> buildGroup(g, sinkNames, groupOf));
        }
        grouped.addAll(groupOf.keySet());
        for (Map.Entry<String, Sink> e : sinks.entrySet()) {
            if (!grouped.contains(e.getKey()) && e.getValue() != null) {
                DefaultSinkProcessor p = new DefaultSinkProcessor(e.getValue());
                groups.add(new SinkGroup(e.getKey(), agent + ".sinks." + e.getKey(), "default", p,
                        List.of(e.getValue())));
            }
        }
        checkUpstreams();
        new KeyChecker(session, agent).check(sourceNames, channelNames, sinkNames, groupNames);
        return finish();
    }

    /**
     * An agent with channels or sinks but no source receives nothing: usually a typo in, or a byte
     * order mark before, {@code <agent>.sources}. It is a problem unless the file says it is meant
     * ({@code <agent>.allowNoSources = true}, e.g. an agent that only drains a file channel).
     */
    private void checkSourcesListed(List<String> sourceNames) {
        String key = agent + "." + ALLOW_NO_SOURCES;
        session.markRead(key);
        String allow = props.all().get(key);
        boolean allowed = false;
        if (allow != null) {
            String v = allow.trim();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                allowed = Boolean.parseBoolean(v);
            } else {
                problem(key, allow, "must be true or false", "set it to true for an agent that only drains its"
                        + " channels, or remove it");
                return;
            }
        }
        if (sourceNames.isEmpty() && !allowed) {
            problem(agent + ".sources", props.get("sources").orElse(null), "the agent has channels or sinks but no"
                            + " source, so it would receive nothing",
                    "list its sources, e.g. " + agent + ".sources = r1 (check the spelling of the first key of the"
                            + " file), or set " + key + " = true for an agent that only drains its channels");
        }
    }

    /** Runs {@code build} and notes the counter groups it registered as those of {@code label}. */
    private void recordingCounters(String label, Runnable build) {
        Set<CounterGroup> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(session.counters().groups());
        build.run();
        List<CounterGroup> added = new ArrayList<>();
        for (CounterGroup g : session.counters().groups()) {
            if (!before.contains(g)) {
                added.add(g);
            }
        }
        counterGroups.put(label, List.copyOf(added));
    }

    /**
     * Hands every {@link UpstreamAware} sink the wiring around its channel (the sources that may put
     * into it, the sinks that read it) and reports the problems it finds.
     */
    private void checkUpstreams() {
        for (Map.Entry<String, Sink> e : sinks.entrySet()) {
            String channel = sinkChannels.get(e.getKey());
            if (!(e.getValue() instanceof UpstreamAware aware) || channel == null) {
                continue;
            }
            List<UpstreamAware.Feeder> into = new ArrayList<>();
            for (UpstreamAware.Feeder f : feeders) {
                if (f.channels().contains(channel)) {
                    into.add(f);
                }
            }
            List<String> readers = new ArrayList<>();
            sinkChannels.forEach((sink, c) -> {
                if (c.equals(channel)) {
                    readers.add(sink);
                }
            });
            UpstreamAware.Upstream upstream = new UpstreamAware.Upstream(channel, agent + ".sinks." + e.getKey() + ".",
                    into, readers);
            for (ConfigProblem p : aware.connectUpstream(upstream)) {
                problem(p.key(), p.value(), p.rule(), p.fix());
            }
        }
    }

    private BuiltAgent finish() {
        ValidationReport report = new ValidationReport(agent, props.origin(), session.problems(), session.warnings(),
                graph.render(agent), graph.topology());
        return new BuiltAgent(report, props.all(), channels, builtChannels, sources, channelProcessors, sinks, groups,
                counterGroups);
    }

    private List<String> list(String word) {
        List<String> names = props.list(word);
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!seen.add(n)) {
                problem(agent + "." + word, props.get(word).orElse(""), "lists '" + n + "' twice",
                        "list each name once");
            } else {
                out.add(n);
            }
        }
        session.markRead(agent + "." + word);
        return out;
    }

    private void buildChannel(String name) {
        String prefix = agent + ".channels." + name + ".";
        DefaultComponentContext ctx = new DefaultComponentContext(session, ComponentKind.CHANNEL, name, prefix);
        Channel ch = create(ctx, "channel", "channels", List.of("type"), Channel.class);
        builtChannels.put(name, ch);
        Channel running = reuse.get(name);
        channels.put(name, ch != null && running != null ? running : ch);
        graph.channel(name, props.all().getOrDefault(prefix + "type", "?"));
    }

    private void buildSource(String name) {
        String prefix = agent + ".sources." + name + ".";
        DefaultComponentContext ctx = new DefaultComponentContext(session, ComponentKind.SOURCE, name, prefix);
        Source source = create(ctx, "source", "sources",
                List.of("type", "channels", "selector.type", "interceptors", DeadLetterAware.CHANNEL_KEY), Source.class);
        session.markRead(prefix + "channels");
        session.markRead(prefix + "interceptors");
        String rawChannels = props.all().get(prefix + "channels");
        List<String> names = rawChannels == null ? List.of() : AgentProperties.split(rawChannels);
        if (names.isEmpty()) {
            problem(prefix + "channels", rawChannels, "source '" + name + "' has no channels",
                    "set " + prefix + "channels to one or more of: " + String.join(" ", channelNames));
        }
        List<Channel> resolved = new ArrayList<>();
        for (String c : names) {
            Channel ch = channelRef(prefix + "channels", rawChannels, c);
            if (ch != null && !resolved.contains(ch)) {
                resolved.add(ch);
            }
        }
        String selectorType = props.all().getOrDefault(prefix + "selector.type", "replicating");
        session.markRead(prefix + "selector.type");
        ChannelSelector selector = null;
        DefaultComponentContext selCtx = (DefaultComponentContext) ctx.child(ComponentKind.CHANNEL_SELECTOR, "selector",
                "selector.");
        var selFactory = session.registry().find(ComponentKind.CHANNEL_SELECTOR, selectorType);
        if (selFactory.isEmpty()) {
            problem(prefix + "selector.type", selectorType, "unknown channel selector type '" + selectorType + "'"
                    + DidYouMean.suggest(selectorType, session.registry().aliases(ComponentKind.CHANNEL_SELECTOR)),
                    "use one of " + session.registry().aliases(ComponentKind.CHANNEL_SELECTOR));
            session.markPrefixRead(prefix + "selector.");
        } else {
            session.knownKeys(prefix + "selector.", keyNames(selFactory.get(), "type"));
            Object o = safeCreate(selFactory.get(), selCtx, prefix + "selector.type", selectorType);
            if (o instanceof ChannelSelector) {
                selector = (ChannelSelector) o;
                checkSelectorRefs(prefix, name, names, selector);
            }
        }
        List<Interceptor> interceptors = buildInterceptors(ctx, prefix);
        DeadLetters deadLetters = deadLetterChannel(prefix, "source", source, names,
                "one of the channels this source puts its events into");
        if (interceptors != null) {
            bindInterceptors(prefix, name, interceptors, deadLetters);
        }
        List<String> interceptorNames = AgentProperties.split(props.all().getOrDefault(prefix + "interceptors", ""));
        if (source != null) {
            feeders.add(new UpstreamAware.Feeder(name, prefix, source, names, interceptorNames));
        }
        graph.source(name, props.all().getOrDefault(prefix + "type", "?"), names, selectorType, interceptorNames);
        graph.deadLetters(deadLetters);
        if (source != null && selector != null && interceptors != null && resolved.size() == names.size()
                && !resolved.isEmpty()) {
            selector.setChannels(resolved);
            CounterGroup cg = session.counters().register(new CounterGroup("CHANNEL_PROCESSOR", name));
            DefaultChannelProcessor cp = new DefaultChannelProcessor(prefix.substring(0, prefix.length() - 1),
                    selector, interceptors, cg, spec.taps(), name);
            source.setChannelProcessor(cp);
            channelProcessors.put(name, cp);
            for (int i = 0; i < names.size(); i++) {
                checkBatch(prefix, source, names.get(i), resolved.get(i));
            }
        }
        sources.put(name, source);
    }

    /**
     * Reads {@code deadLetter.channel} of a source or sink: one channel of the agent, not one the
     * component reads or writes its own events through, on a component that can use it. Gives the
     * component its {@link DeadLetters} and returns them; null when the key is absent or wrong.
     */
    private DeadLetters deadLetterChannel(String prefix, String kindWord, Object component, List<String> own,
            String ownWords) {
        String key = prefix + DeadLetterAware.CHANNEL_KEY;
        session.markRead(key);
        String raw = props.all().get(key);
        if (raw == null) {
            return null;
        }
        String name = raw.trim();
        if (name.isEmpty() || AgentProperties.split(name).size() != 1) {
            problem(key, raw, "must name exactly one channel",
                    "name one of the agent's channels (" + String.join(" ", channelNames) + "), or remove the key");
            return null;
        }
        if (component != null && !(component instanceof DeadLetterAware)) {
            problem(key, raw, "this " + kindWord + " type (" + props.all().get(prefix + "type") + ") cannot set events"
                    + " aside in a dead-letter channel", "remove the key; see docs/dead-letters.md for the "
                    + kindWord + "s that can");
            return null;
        }
        if (own.contains(name)) {
            problem(key, raw, "is " + ownWords + "; its dead letters would mix with the events it handles",
                    "define a separate channel for dead letters, e.g. " + agent + ".channels = "
                            + String.join(" ", channelNames) + " dlq, and name it here");
            return null;
        }
        Channel ch = channelRef(key, raw, name);
        if (ch == null || component == null) {
            return null;
        }
        DeadLetters dl = new DeadLetters(ch, prefix.substring(0, prefix.length() - 1), spec.clock());
        ((DeadLetterAware) component).setDeadLetters(dl);
        return dl;
    }

    /**
     * Gives the source's interceptors what they need to act on bad events: the source's counters,
     * and its dead-letter channel for those with {@code onError = deadLetter} (a problem without one).
     */
    private void bindInterceptors(String prefix, String source, List<Interceptor> interceptors,
            DeadLetters deadLetters) {
        CounterGroup counters = session.counters().find("SOURCE", source);
        if (counters == null) {
            counters = session.counters().register(new CounterGroup("SOURCE", source));
        }
        List<String> names = AgentProperties.split(props.all().getOrDefault(prefix + "interceptors", ""));
        for (int i = 0; i < interceptors.size(); i++) {
            Interceptor in = interceptors.get(i);
            String ilabel = prefix + "interceptors." + (i < names.size() ? names.get(i) : String.valueOf(i));
            if (in instanceof SourceCountingInterceptor sci) {
                sci.countIn(counters);
            }
            if (in instanceof DeadLetterAware dla) {
                if (deadLetters != null) {
                    dla.setDeadLetters(deadLetters.forComponent(ilabel));
                } else if (dla.requiresDeadLetters()) {
                    problem(ilabel + ".onError", props.all().get(ilabel + ".onError"), "sends bad events to the"
                            + " source's dead-letter channel, but the source has none",
                            "set " + prefix + DeadLetterAware.CHANNEL_KEY + " to a channel for them, or use onError ="
                                    + " pass or drop");
                }
            }
        }
    }

    private void checkSelectorRefs(String prefix, String source, List<String> sourceChannels, ChannelSelector sel) {
        if (!(sel instanceof ChannelReferences)) {
            return;
        }
        ((ChannelReferences) sel).channelReferences().forEach((rel, names) -> {
            for (String n : names) {
                if (!sourceChannels.contains(n)) {
                    String key = prefix + "selector." + rel;
                    problem(key, props.all().getOrDefault(key, String.join(" ", names)),
                            "names channel '" + n + "', which is not one of source '" + source + "''s channels "
                                    + sourceChannels + DidYouMean.suggest(n, sourceChannels),
                            "add " + n + " to " + prefix + "channels, or name one of " + sourceChannels + " here");
                }
            }
        });
    }

    private List<Interceptor> buildInterceptors(DefaultComponentContext ctx, String prefix) {
        String raw = props.all().get(prefix + "interceptors");
        List<Interceptor> out = new ArrayList<>();
        boolean ok = true;
        for (String i : raw == null ? List.<String>of() : AgentProperties.split(raw)) {
            String iprefix = prefix + "interceptors." + i + ".";
            String type = props.all().get(iprefix + "type");
            session.markRead(iprefix + "type");
            if (type == null || type.isBlank()) {
                problem(iprefix + "type", type, "interceptor '" + i + "' is listed in " + prefix + "interceptors but has no type",
                        "set " + iprefix + "type to one of " + session.registry().aliases(ComponentKind.INTERCEPTOR)
                                + " or a class name");
                session.markPrefixRead(iprefix);
                ok = false;
                continue;
            }
            var f = session.registry().find(ComponentKind.INTERCEPTOR, type);
            if (f.isEmpty()) {
                problem(iprefix + "type", type, "unknown interceptor type '" + type + "'"
                        + DidYouMean.suggest(type, session.registry().aliases(ComponentKind.INTERCEPTOR)),
                        "use one of " + session.registry().aliases(ComponentKind.INTERCEPTOR)
                                + ", or the fully qualified name of a class on the class path");
                session.markPrefixRead(iprefix);
                ok = false;
                continue;
            }
            session.knownKeys(iprefix, keyNames(f.get(), "type"));
            if (f.get().descriptor().keys().isEmpty()) {
                session.markPrefixRead(iprefix);
            }
            Object o = safeCreate(f.get(), ctx.child(ComponentKind.INTERCEPTOR, i, "interceptors." + i + "."),
                    iprefix + "type", type);
            if (o instanceof Interceptor) {
                out.add((Interceptor) o);
            } else {
                ok = false;
            }
        }
        return ok ? out : null;
    }

    /**
     * A sink group named in {@code <agent>.sinks} (Apache Flume drops it with a warning): a problem
     * that says what it is and where it belongs. True when {@code name} is such a group.
     */
    private boolean isSinkGroupListedAsSink(String name, List<String> groupNames) {
        String groupPrefix = agent + ".sinkgroups." + name + ".";
        boolean groupKeys = props.all().keySet().stream().anyMatch(k -> k.startsWith(groupPrefix));
        boolean sinkKeys = props.all().keySet().stream().anyMatch(k -> k.startsWith(agent + ".sinks." + name + "."));
        if (sinkKeys || !(groupKeys || groupNames.contains(name))) {
            return false;
        }
        String members = props.all().getOrDefault(groupPrefix + "sinks", "").trim();
        problem(agent + ".sinks", props.get("sinks").orElse(null), "'" + name + "' is a sink group (it has "
                + groupPrefix + "* keys and no " + agent + ".sinks." + name + ".* keys), not a sink",
                "remove " + name + " from " + agent + ".sinks"
                        + (members.isEmpty() ? "" : " and list its sinks there (" + members + ")")
                        + (groupNames.contains(name) ? "" : ", and add " + name + " to " + agent + ".sinkgroups"));
        return true;
    }

    private void buildSink(String name) {
        String prefix = agent + ".sinks." + name + ".";
        DefaultComponentContext ctx = new DefaultComponentContext(session, ComponentKind.SINK, name, prefix);
        Sink sink = create(ctx, "sink", "sinks", List.of("type", "channel", DeadLetterAware.CHANNEL_KEY), Sink.class);
        session.markRead(prefix + "channel");
        String c = props.all().get(prefix + "channel");
        Channel ch = null;
        if (c == null || c.isBlank()) {
            problem(prefix + "channel", c, "sink '" + name + "' has no channel",
                    "set " + prefix + "channel to one of: " + String.join(" ", channelNames));
        } else if (AgentProperties.split(c).size() > 1) {
            problem(prefix + "channel", c, "a sink reads from exactly one channel",
                    "name one channel; to read several, add one sink per channel");
        } else {
            ch = channelRef(prefix + "channel", c, c.trim());
        }
        if (sink instanceof AbstractBatchSink b) {
            b.tapPoint(spec.taps().point(TapKind.SINK, name));
        }
        if (sink != null && ch != null) {
            sinkChannels.put(name, c.trim());
            sink.setChannel(ch);
            checkBatch(prefix, sink, c.trim(), ch);
        }
        DeadLetters deadLetters = deadLetterChannel(prefix, "sink", sink, c == null ? List.of() : List.of(c.trim()),
                "the channel this sink reads from");
        graph.sink(name, props.all().getOrDefault(prefix + "type", "?"), c == null ? "?" : c.trim());
        graph.deadLetters(deadLetters);
        sinks.put(name, sink);
    }

    private void buildGroup(String group, List<String> sinkNames, Map<String, String> groupOf) {
        String prefix = agent + ".sinkgroups." + group + ".";
        session.markRead(prefix + "sinks");
        session.markRead(prefix + "processor.type");
        String raw = props.all().get(prefix + "sinks");
        List<String> members = raw == null ? List.of() : AgentProperties.split(raw);
        if (members.isEmpty()) {
            problem(prefix + "sinks", raw, "sink group '" + group + "' lists no sinks",
                    "set " + prefix + "sinks to two or more of: " + String.join(" ", sinkNames));
        }
        List<Sink> resolved = new ArrayList<>();
        boolean ok = !members.isEmpty();
        for (String m : members) {
            if (!sinkNames.contains(m)) {
                problem(prefix + "sinks", raw, "names sink '" + m + "', which is not listed in " + agent + ".sinks"
                        + DidYouMean.suggest(m, sinkNames), "add " + m + " to " + agent + ".sinks or remove it here");
                ok = false;
                continue;
            }
            String other = groupOf.putIfAbsent(m, group);
            if (other != null && !other.equals(group)) {
                problem(prefix + "sinks", raw, "sink '" + m + "' is already in sink group '" + other
                        + "'; a sink can be in one group only", "remove " + m + " from one of the groups");
                ok = false;
                continue;
            }
            Sink s = sinks.get(m);
            if (s == null) {
                ok = false;
            } else {
                resolved.add(s);
            }
        }
        String type = props.all().getOrDefault(prefix + "processor.type", "default");
        graph.group(group, type, members);
        var f = session.registry().find(ComponentKind.SINK_PROCESSOR, type);
        if (f.isEmpty()) {
            problem(prefix + "processor.type", type, "unknown sink processor type '" + type + "'"
                    + DidYouMean.suggest(type, session.registry().aliases(ComponentKind.SINK_PROCESSOR)),
                    "use one of " + session.registry().aliases(ComponentKind.SINK_PROCESSOR));
            session.markPrefixRead(prefix + "processor.");
            return;
        }
        session.knownKeys(prefix, List.of("sinks", "processor.type"));
        session.knownKeys(prefix + "processor.", keyNames(f.get(), "type"));
        DefaultComponentContext ctx = new DefaultComponentContext(session, ComponentKind.SINK_PROCESSOR, group,
                prefix + "processor.");
        Object o = safeCreate(f.get(), ctx, prefix + "processor.type", type);
        if (!(o instanceof SinkProcessor) || !ok) {
            return;
        }
        SinkProcessor p = (SinkProcessor) o;
        try {
            p.setSinks(resolved);
        } catch (IllegalArgumentException e) {
            problem(prefix + "processor.type", type, e.getMessage(),
                    "use processor.type = failover or load_balance for several sinks, or list one sink");
            return;
        }
        if (p instanceof SinkReferences) {
            ((SinkReferences) p).sinkReferences().forEach((rel, sinkName) -> {
                if (!members.contains(sinkName)) {
                    problem(prefix + "processor." + rel, props.all().get(prefix + "processor." + rel),
                            "names sink '" + sinkName + "', which is not in sink group '" + group + "' " + members
                                    + DidYouMean.suggest(sinkName, members),
                            "add " + sinkName + " to " + prefix + "sinks or remove this key");
                }
            });
        }
        groups.add(new SinkGroup(group, prefix.substring(0, prefix.length() - 1), type, p, resolved));
    }

    private Channel channelRef(String key, String value, String channel) {
        if (channelNames.contains(channel)) {
            return channels.get(channel);
        }
        if (props.definedNames("channels").contains(channel)) {
            problem(key, value, "refers to channel '" + channel + "', which is defined but not listed in "
                    + agent + ".channels", "add " + channel + " to " + agent + ".channels");
        } else {
            problem(key, value, "refers to channel '" + channel + "', which does not exist"
                    + DidYouMean.suggest(channel, channelNames),
                    channelNames.isEmpty() ? "define a channel and list it in " + agent + ".channels"
                            : "use one of the channels listed in " + agent + ".channels: " + String.join(" ", channelNames));
        }
        return null;
    }

    private void checkBatch(String prefix, Object component, String channelName, Channel channel) {
        if (!(component instanceof BatchSizeAware) || !(channel instanceof TransactionCapacityAware)) {
            return;
        }
        int batch = ((BatchSizeAware) component).batchSize();
        TransactionCapacityAware tc = (TransactionCapacityAware) channel;
        int cap = tc.transactionCapacity();
        if (batch > cap) {
            String key = prefix + ((BatchSizeAware) component).batchSizeKey();
            String raw = props.all().get(key);
            String txKey = agent + ".channels." + channelName + "." + tc.transactionCapacityKey();
            problem(key, raw == null ? batch + " (default)" : raw, "is larger than the transactionCapacity (" + cap
                    + ") of channel '" + channelName + "'", "lower " + key + " to " + cap + " or less, or raise " + txKey
                    + " (and its capacity) to at least " + batch);
        }
    }

    private <T> T create(DefaultComponentContext ctx, String kindWord, String listWord, List<String> structural,
            Class<T> type) {
        String prefix = ctx.keyPrefix();
        String typeKey = prefix + "type";
        session.markRead(typeKey);
        String t = props.all().get(typeKey);
        if (t == null || t.isBlank()) {
            boolean defined = props.definedNames(listWord).contains(ctx.name());
            problem(typeKey, t, kindWord + " '" + ctx.name() + "' is listed in " + agent + "." + listWord
                    + (defined ? " but has no type" : " but not defined (no key starts with " + prefix + ")"),
                    "set " + typeKey + " to one of " + session.registry().aliases(ctx.kind())
                            + " or a fully qualified class name");
            session.markPrefixRead(prefix);
            return null;
        }
        var f = session.registry().find(ctx.kind(), t);
        if (f.isEmpty()) {
            problem(typeKey, t, "unknown " + kindWord + " type '" + t + "'"
                    + DidYouMean.suggest(t, session.registry().aliases(ctx.kind())),
                    "use one of " + session.registry().aliases(ctx.kind())
                            + ", or the fully qualified name of a class on the class path");
            session.markPrefixRead(prefix);
            return null;
        }
        session.knownKeys(prefix, keyNames(f.get(), structural.toArray(new String[0])));
        if (f.get().descriptor().keys().isEmpty()) {
            session.markPrefixRead(prefix);
        }
        Object o = safeCreate(f.get(), ctx, typeKey, t);
        if (o == null) {
            return null;
        }
        if (!type.isInstance(o)) {
            problem(typeKey, t, "builds a " + o.getClass().getName() + ", which is not a " + kindWord,
                    "use a " + kindWord + " type here");
            return null;
        }
        return type.cast(o);
    }

    private Object safeCreate(ComponentFactory<?> f, ComponentContext ctx,
            String typeKey, String type) {
        int before = session.problems().size();
        try {
            Object o = f.create(ctx);
            if (o == null && session.problems().size() == before) {
                problem(typeKey, type, "the " + f.descriptor().alias() + " factory built nothing and reported no reason",
                        "report this as a bug of " + f.getClass().getName());
            }
            return o;
        } catch (RuntimeException | LinkageError e) {
            problem(typeKey, type, "could not be built: " + e, "check the other keys of " + ctx.keyPrefix() + "*");
            return null;
        }
    }

    private static List<String> keyNames(ComponentFactory<?> f, String... structural) {
        List<String> out = new ArrayList<>(List.of(structural));
        f.descriptor().keys().forEach(k -> out.add(k.name()));
        return out;
    }

    private void problem(String key, String value, String rule, String fix) {
        session.problem(key, value, rule, fix);
    }
}
