package io.sluice.hdfs;

import io.sluice.core.serialization.EventSerializer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.security.SecurityUtil;
import org.apache.hadoop.security.UserGroupInformation;

import static java.util.Objects.requireNonNull;

/**
 * Everything of one sink that needs Hadoop's classes: the {@link Configuration} (Hadoop's own
 * {@code core-site.xml} and {@code hdfs-site.xml} from the class path or {@code HADOOP_CONF_DIR}
 * apply, as for Apache Flume), the codec, the writers, and the login through
 * {@link UserGroupInformation}. Only built when an {@code hdfs} sink is configured, so an agent
 * without one never loads Hadoop. Immutable after construction; {@link #login} is synchronized on
 * the class because {@code UserGroupInformation}'s configuration is process-wide.
 */
final class HadoopSetup {
    private final Configuration conf;
    private final CompressionCodec codec;
    private final EventSerializer.Builder serializer;
    private final boolean kerberos;

    private HadoopSetup(Configuration conf, CompressionCodec codec, EventSerializer.Builder serializer,
            boolean kerberos) {
        this.conf = conf;
        this.codec = codec;
        this.serializer = serializer;
        this.kerberos = kerberos;
    }

    /** The result of {@link #create}: the setup, or what is wrong with {@code hdfs.codeC}. */
    record Result(HadoopSetup setup, String codecProblem) {
    }

    static Result create(HdfsSinkConfig config, EventSerializer.Builder serializer) {
        Configuration conf = new Configuration();
        // the sink closes its own clients at stop; Hadoop's shutdown hook would close them first and make
        // the agent's graceful stop fail to close and rename its files (Apache Flume works around the same hook)
        conf.setBoolean("fs.automatic.close", false);
        CompressionCodec codec = null;
        if (config.codec() != null) {
            Codecs.Lookup l = Codecs.find(config.codec(), conf);
            if (l.codec() == null) {
                return new Result(null, l.problem());
            }
            codec = l.codec();
        }
        boolean kerberos = config.kerberosPrincipal() != null;
        if (kerberos) {
            conf.set("hadoop.security.authentication", "kerberos");
        }
        return new Result(new HadoopSetup(conf, codec, serializer, kerberos), null);
    }

    Configuration conf() {
        return conf;
    }

    CompressionCodec codec() {
        return codec;
    }

    boolean kerberos() {
        return kerberos;
    }

    Supplier<HdfsWriter> writers(HdfsSinkConfig config, Clock clock) {
        requireNonNull(clock, "clock is null");
        boolean raw = config.useRawLocalFileSystem();
        return switch (config.fileType()) {
            case SEQUENCE_FILE -> {
                boolean text = config.writeFormat().equalsIgnoreCase("Text");
                yield () -> new SequenceFileWriter(text, codec, conf, raw, clock);
            }
            case DATA_STREAM -> () -> new DataStreamWriter(serializer, raw);
            case COMPRESSED_STREAM -> () -> new CompressedStreamWriter(serializer, codec, conf, raw);
        };
    }

    /**
     * Logs in from the keytab when {@code hdfs.kerberosPrincipal} is set ({@code _HOST} becomes
     * this host's canonical name) and wraps the user as {@code hdfs.proxyUser} when set; returns
     * {@code null} when neither is configured (Hadoop's current user is used).
     */
    UserGroupInformation login(HdfsSinkConfig config) throws IOException {
        synchronized (HadoopSetup.class) {
            UserGroupInformation user = null;
            if (kerberos) {
                UserGroupInformation.setConfiguration(conf);
                String principal = SecurityUtil.getServerPrincipal(config.kerberosPrincipal(),
                        InetAddress.getLocalHost().getCanonicalHostName());
                try {
                    user = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, config.kerberosKeytab());
                } catch (IOException e) {
                    throw new IOException("Kerberos login as " + principal + " (hdfs.kerberosPrincipal) from keytab "
                            + config.kerberosKeytab() + " (hdfs.kerberosKeytab) failed: " + e.getMessage()
                            + "; check that the keytab is readable and holds a key of that principal (klist -kt "
                            + config.kerberosKeytab() + "), that the realm is the KDC's, and that the Kerberos"
                            + " configuration (krb5.conf, java.security.krb5.conf) names a KDC this host reaches", e);
                }
            }
            if (config.proxyUser() != null) {
                UserGroupInformation real = user != null ? user : UserGroupInformation.getLoginUser();
                user = UserGroupInformation.createProxyUser(config.proxyUser(), real);
            }
            return user;
        }
    }
}
