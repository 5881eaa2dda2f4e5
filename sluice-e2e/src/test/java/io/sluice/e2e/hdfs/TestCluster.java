package io.sluice.e2e.hdfs;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** The hdfs end-to-end tests' cluster: one datanode, servers on 127.0.0.1 and ephemeral ports, WebHDFS off. */
final class TestCluster {
    private TestCluster() {
    }

    /** Starts a MiniDFSCluster keeping its data under {@code base} and waits until it is active. */
    static MiniDFSCluster start(File base) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.setBoolean("dfs.webhdfs.enabled", false);
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
        cluster.waitActive();
        return cluster;
    }
}
