package dev.microbatch.runner.crash;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS (one name node, one data node) in this JVM, listening on loopback only. */
final class LoopbackMiniDfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  LoopbackMiniDfs(Path baseDir) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  /** The URI of {@code path} on this file system. */
  String uri(String path) {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort() + path;
  }

  @Override
  public void close() {
    cluster.shutdown();
  }
}
