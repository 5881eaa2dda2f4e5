package io.sluice.core.source.exec;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code exec} source ({@code org.apache.flume.source.ExecSource}). Keys, with Apache Flume's
 * names and defaults: {@code command} (required), {@code shell} (unset: the command is split on
 * whitespace and run directly; e.g. {@code /bin/sh -c} runs it through a shell), {@code restart}
 * (false), {@code restartThrottle} (10000 ms), {@code logStdErr} (false: stderr is logged at
 * DEBUG; true: at WARN), {@code batchSize} (20), {@code batchTimeout} (3000 ms), {@code charset}
 * (UTF-8); Sluice adds {@code maxLineLength} (1048576 bytes; see {@link ExecSource} for longer and
 * undecodable lines and {@code deadLetter.channel}).
 */
public final class ExecSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> COMMAND = ConfigKey.stringKey("command", null,
            "The command to run, e.g. tail -F /var/log/app.log.").required();
    public static final ConfigKey<String> SHELL = ConfigKey.stringKey("shell", null,
            "Shell that runs the command, e.g. /bin/sh -c; unset runs the command directly.");
    public static final ConfigKey<Boolean> RESTART = ConfigKey.boolKey("restart", false,
            "Start the command again when it ends.");
    public static final ConfigKey<Long> RESTART_THROTTLE = ConfigKey.longKey("restartThrottle", 10000L,
            "Milliseconds to wait before a restart.").atLeast(0);
    public static final ConfigKey<Boolean> LOG_STDERR = ConfigKey.boolKey("logStdErr", false,
            "Log the command's stderr at WARN (rate-limited); false logs it at DEBUG.");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 20,
            "Most lines committed in one transaction.").atLeast(1);
    public static final ConfigKey<Long> BATCH_TIMEOUT = ConfigKey.longKey("batchTimeout", 3000L,
            "Milliseconds a partial batch waits for more lines before it is committed.").atLeast(1);
    public static final ConfigKey<String> CHARSET = ConfigKey.stringKey("charset", "UTF-8",
            "Character set of the command's output.");
    public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.intKey("maxLineLength", 1048576,
            "Sluice only: most bytes of one line; a longer line goes to deadLetter.channel (its first maxLineLength"
                    + " bytes), or is split into several events without one.").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "exec")
            .otherNames("org.apache.flume.source.ExecSource")
            .keys(COMMAND, SHELL, RESTART, RESTART_THROTTLE, LOG_STDERR, BATCH_SIZE, BATCH_TIMEOUT, CHARSET,
                    MAX_LINE_LENGTH)
            .description("Runs a command and sends each line it prints as an event.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        String command = context.get(COMMAND);
        String shell = context.get(SHELL);
        boolean restart = context.get(RESTART);
        long throttle = context.get(RESTART_THROTTLE);
        boolean logStdErr = context.get(LOG_STDERR);
        int batchSize = context.get(BATCH_SIZE);
        long batchTimeout = context.get(BATCH_TIMEOUT);
        String charsetName = context.get(CHARSET);
        int maxLineLength = context.get(MAX_LINE_LENGTH);
        Charset charset = null;
        try {
            charset = Charset.forName(charsetName.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            context.problem(CHARSET.name(), charsetName, "is not a character set this JVM supports",
                    "use a charset name such as UTF-8 or ISO-8859-1");
        }
        if (command != null && command.isBlank()) {
            context.problem(COMMAND.name(), command, "must not be empty", "set command to the program to run");
            command = null;
        }
        if (command == null || charset == null) {
            return null;
        }
        List<String> commandLine = new ArrayList<>();
        if (shell != null && !shell.isBlank()) {
            commandLine.addAll(List.of(shell.trim().split("\\s+")));
            commandLine.add(command);
        } else {
            commandLine.addAll(List.of(command.trim().split("\\s+")));
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new ExecSource(context.name(), context.label(), commandLine, restart, throttle, logStdErr,
                batchSize, batchTimeout, charset, maxLineLength, counter, context.clock());
    }
}
