package io.sluice.hdfs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for tests: {@link MiniDFSCluster} with one datanode, every server bound to
 * 127.0.0.1 on ephemeral ports, WebHDFS off, its data under a test directory. Started once per
 * test class. Not thread-safe.
 */
final class MiniHdfs implements AutoCloseable {
    private final File base;
    private MiniDFSCluster cluster;
    private FileSystem fs;

    private MiniHdfs(File base) {
        this.base = base;
    }

    static MiniHdfs start(File base) throws IOException {
        MiniHdfs h = new MiniHdfs(base);
        h.cluster = new MiniDFSCluster.Builder(conf(base), base).numDataNodes(1).build();
        h.cluster.waitActive();
        h.fs = h.cluster.getFileSystem();
        return h;
    }

    static Configuration conf(File base) {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.setBoolean("dfs.webhdfs.enabled", false);
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.namenode.https-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.servicerpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.setInt("dfs.replication", 1);
        // after a restart the namenode leaves safe mode as soon as it is up, as a test cluster may
        conf.setFloat("dfs.namenode.safemode.threshold-pct", 0f);
        conf.setInt("dfs.namenode.safemode.extension", 0);
        // short heartbeats: block recovery after a datanode restart is retried within seconds, not minutes
        conf.setLong("dfs.heartbeat.interval", 1);
        conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
        // a sink that died holds its lease; tests recover it explicitly, never by waiting
        conf.setLong("dfs.blocksize", 1024 * 1024);
        conf.setInt("dfs.client.retry.max.attempts", 1);
        conf.setInt("ipc.client.connect.max.retries", 1);
        conf.setInt("ipc.client.connect.max.retries.on.timeouts", 1);
        return conf;
    }

    /** Stops the whole cluster (namenode and datanode), keeping its data: an outage. */
    int stop() {
        int port = cluster.getNameNodePort();
        cluster.shutdown(false);
        return port;
    }

    /** Starts the cluster again on the same directories and namenode port, and a new client. */
    void startAgain(int port) throws IOException {
        cluster = new MiniDFSCluster.Builder(conf(base), base).nameNodePort(port).format(false).numDataNodes(1)
                .build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
    }

    URI uri() {
        return fs.getUri();
    }

    /** {@code hdfs://127.0.0.1:port} followed by {@code path}. */
    String url(String path) {
        return uri() + path;
    }

    FileSystem fs() {
        return fs;
    }

    DistributedFileSystem dfs() {
        return (DistributedFileSystem) fs;
    }

    MiniDFSCluster cluster() {
        return cluster;
    }

    /** Every file under {@code dir}, sorted by path. */
    List<Path> files(String dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Path p = new Path(dir);
        if (!fs.exists(p)) {
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
        while (it.hasNext()) {
            out.add(it.next().getPath());
        }
        out.sort(null);
        return out;
    }

    byte[] read(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }
}
