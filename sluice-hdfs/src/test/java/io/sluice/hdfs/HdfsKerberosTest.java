package io.sluice.hdfs;

import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.LogCapture;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hdfs sink against a Kerberized HDFS: a real KDC ({@link MiniKdc}) issues the NameNode's,
 * DataNode's and the sink's principals with keytabs; the cluster runs with Kerberos authentication,
 * block access tokens and SASL data transfer protection. One KDC and one cluster for the class.
 */
class HdfsKerberosTest {
    @TempDir
    static File tmp;
    static MiniKdc kdc;
    static MiniDFSCluster cluster;
    static File keytab;
    static String realm;
    static UserGroupInformation superuser;
    static ClassLoader contextLoaderBefore;
    static URLClassLoader clientConf;

    @BeforeAll
    static void start() throws Exception {
        Properties kdcConf = MiniKdc.createConf();
        kdcConf.setProperty(MiniKdc.MAX_TICKET_LIFETIME, "86400000");
        kdc = new MiniKdc(kdcConf, new File(tmp, "kdc"));
        kdc.start();
        realm = kdc.getRealm();
        keytab = new File(tmp, "test.keytab");
        kdc.createPrincipal(keytab, "hdfs/localhost", "HTTP/localhost", "sluice", "outsider");
        String hdfsPrincipal = "hdfs/localhost@" + realm;
        Configuration conf = MiniHdfs.conf(new File(tmp, "dfs"));
        conf.set("hadoop.security.authentication", "kerberos");
        conf.set("dfs.namenode.kerberos.principal", hdfsPrincipal);
        conf.set("dfs.namenode.keytab.file", keytab.getAbsolutePath());
        conf.set("dfs.datanode.kerberos.principal", hdfsPrincipal);
        conf.set("dfs.datanode.keytab.file", keytab.getAbsolutePath());
        conf.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + realm);
        conf.set("dfs.web.authentication.kerberos.keytab", keytab.getAbsolutePath());
        conf.setBoolean("dfs.block.access.token.enable", true);
        conf.set("dfs.data.transfer.protection", "authentication");
        conf.setBoolean("ignore.secure.ports.for.testing", true);
        conf.set("hadoop.proxyuser.sluice.hosts", "*");
        conf.set("hadoop.proxyuser.sluice.groups", "*");
        UserGroupInformation.setConfiguration(conf);
        cluster = new MiniDFSCluster.Builder(conf, new File(tmp, "dfs")).numDataNodes(1).build();
        cluster.waitActive();
        // What a user's conf directory on the agent's class path holds: the cluster's hdfs-site.xml.
        contextLoaderBefore = Thread.currentThread().getContextClassLoader();
        clientConf = new URLClassLoader(new URL[] {clientConfDir().toURI().toURL()}, contextLoaderBefore);
        Thread.currentThread().setContextClassLoader(clientConf);
        superuser = UserGroupInformation.loginUserFromKeytabAndReturnUGI("hdfs/localhost@" + realm,
                keytab.getAbsolutePath());
        superuser.doAs((PrivilegedExceptionAction<Void>) () -> {
            FileSystem fs = cluster.getFileSystem();
            fs.mkdirs(new Path("/krb"));
            fs.setOwner(new Path("/krb"), "sluice", null);
            fs.mkdirs(new Path("/krb-proxy"));
            fs.setOwner(new Path("/krb-proxy"), "etl", null);
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (clientConf != null) {
            Thread.currentThread().setContextClassLoader(contextLoaderBefore);
            clientConf.close();
        }
        if (cluster != null) {
            cluster.shutdown(true);
        }
        if (kdc != null) {
            kdc.stop();
        }
        // Hadoop's security settings are process-wide: the next test class's cluster runs without Kerberos.
        UserGroupInformation.reset();
        UserGroupInformation.setConfiguration(new Configuration());
    }

    private static File clientConfDir() throws Exception {
        File dir = new File(tmp, "client-conf");
        dir.mkdirs();
        Configuration site = new Configuration(false);
        site.set("dfs.namenode.kerberos.principal", "hdfs/localhost@" + realm);
        site.set("dfs.data.transfer.protection", "authentication");
        site.setBoolean("dfs.block.access.token.enable", true);
        try (OutputStream out = new FileOutputStream(new File(dir, "hdfs-site.xml"))) {
            site.writeXml(out);
        }
        return dir;
    }

    @Test
    void writesAndReadsBackUnderKerberos() throws Exception {
        String url = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/krb";
        Map<String, String> keys = Map.of("hdfs.path", url, "hdfs.fileType", "DataStream", "hdfs.rollCount", "10",
                "hdfs.kerberosPrincipal", "sluice@" + realm, "hdfs.kerberosKeytab", keytab.getAbsolutePath());
        try (EmbeddedAgent a = Agents.start(keys)) {
            Agents.put(a.agent().channels().get("c1"), Agents.events(0, 10, Map.of()));
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 10, Duration.ofSeconds(60));
        }
        List<String> lines = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        superuser.doAs((PrivilegedExceptionAction<Void>) () -> {
            FileSystem fs = cluster.getFileSystem();
            for (FileStatus st : fs.listStatus(new Path("/krb"))) {
                owners.add(st.getOwner());
                try (InputStream in = fs.open(st.getPath())) {
                    lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
                }
            }
            return null;
        });
        assertThat(lines).containsExactlyElementsOf(Agents.events(0, 10, Map.of()).stream().map(e -> e.bodyAsString())
                .toList());
        assertThat(owners).as("written as the sink's Kerberos principal").containsOnly("sluice");
    }

    @Test
    void aPrincipalTheKeytabDoesNotHoldIsReportedWithThePrincipalTheKeytabAndWhatToCheck() throws Exception {
        LogCapture logged = LogCapture.start();
        String principal = "nobody@" + realm;
        Map<String, String> keys = Map.of("hdfs.path", "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/krb",
                "hdfs.kerberosPrincipal", principal, "hdfs.kerberosKeytab", keytab.getAbsolutePath());
        try (EmbeddedAgent a = Agents.start(keys)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> logged.any(m -> m.contains(
                    "Kerberos login as " + principal + " (hdfs.kerberosPrincipal) from keytab " + keytab.getAbsolutePath()
                            + " (hdfs.kerberosKeytab) failed") && m.contains("klist -kt")));
        } finally {
            logged.close();
        }
    }

    @Test
    void aProxyUserTheClusterAllowsWritesAsTheProxiedUserAndOneItDoesNotIsRefused() throws Exception {
        String url = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/krb-proxy";
        Map<String, String> keys = Map.of("hdfs.path", url, "hdfs.fileType", "DataStream", "hdfs.rollCount", "5",
                "hdfs.kerberosPrincipal", "sluice@" + realm, "hdfs.kerberosKeytab", keytab.getAbsolutePath(),
                "hdfs.proxyUser", "etl");
        try (EmbeddedAgent a = Agents.start(keys)) {
            Agents.put(a.agent().channels().get("c1"), Agents.events(0, 5, Map.of()));
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 5, Duration.ofSeconds(60));
        }
        List<String> owners = new ArrayList<>();
        superuser.doAs((PrivilegedExceptionAction<Void>) () -> {
            for (FileStatus st : cluster.getFileSystem().listStatus(new Path("/krb-proxy"))) {
                owners.add(st.getOwner());
            }
            return null;
        });
        assertThat(owners).as("written as the proxied user").isNotEmpty().containsOnly("etl");

        // hadoop.proxyuser.* names sluice only: outsider may log in but not impersonate.
        LogCapture logged = LogCapture.start();
        Map<String, String> refused = new HashMap<>(keys);
        refused.put("hdfs.kerberosPrincipal", "outsider@" + realm);
        try (EmbeddedAgent a = Agents.start(refused)) {
            Agents.put(a.agent().channels().get("c1"), Agents.events(0, 5, Map.of()));
            await().atMost(Duration.ofSeconds(60)).until(() -> logged.any(m -> m.contains(
                    "[a1.sinks.k1]") && m.contains("outsider") && m.contains("is not allowed to impersonate etl")));
            assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isZero();
        } finally {
            logged.close();
        }
    }
}
