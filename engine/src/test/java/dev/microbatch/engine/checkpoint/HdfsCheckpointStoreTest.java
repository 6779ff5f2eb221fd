package dev.microbatch.engine.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checkpoint format on a real HDFS: an in-process MiniDFSCluster on loopback. */
class HdfsCheckpointStoreTest {
  private static final long TIMEOUT = 10_000;
  private static MiniDFSCluster cluster;
  private static FileSystem fs;

  private final ManualClock clock = new ManualClock(1_000);

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Files.createTempDirectory("minidfs").toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void roundTripAndFallbackFromATruncatedManifest() throws IOException {
    String location = cluster.getURI() + "/ckpt-roundtrip";
    CheckpointStore store = CheckpointStore.open(location, new Configuration());
    assertThat(store.root().toUri().getScheme(), is("hdfs"));
    try (CheckpointWriter w = store.openWriter("w", clock, TIMEOUT)) {
      for (long b = 1; b <= 4; b++) {
        DataFileRef f = w.writeData(b, "s1-p0.state", bytes("state-" + b));
        w.commit(b, b, Map.of("b", Long.toString(b)), List.of(f));
      }
    }
    assertThat(fs.listStatus(new Path("/ckpt-roundtrip/manifests")).length, is(3));
    Checkpoint c = store.latest().orElseThrow();
    assertThat(c.batchId(), is(4L));
    assertArrayEquals(bytes("state-4"), c.read(c.files().get(0)));

    // A torn newest manifest (as if written in place and cut off) falls back to batch 3.
    Path newest = new Path("/ckpt-roundtrip/manifests/manifest-00000000000000000004");
    byte[] whole;
    try (var in = fs.open(newest)) {
      whole = in.readAllBytes();
    }
    try (FSDataOutputStream out = fs.create(newest, true)) {
      out.write(Arrays.copyOf(whole, whole.length - 3));
    }
    assertThat(store.latest().orElseThrow().batchId(), is(3L));
  }

  @Test
  void crashBeforePublishLeavesThePreviousCheckpointAndTheNextWriterCleansUp() throws IOException {
    String location = cluster.getURI() + "/ckpt-crash";
    CheckpointStore store = CheckpointStore.open(location, new Configuration());
    CheckpointWriter killed = store.openWriter("killed", clock, TIMEOUT);
    killed.commit(1, 1, Map.of(), List.of(killed.writeData(1, "a", bytes("one"))));
    // Killed during batch 2: its data file is written, its manifest only as a temporary file.
    killed.writeData(2, "a", bytes("two"));
    try (FSDataOutputStream out = fs.create(new Path("/ckpt-crash/manifests/.manifest-00000000000000000002.x.tmp"))) {
      out.write(bytes("partial"));
    }

    assertThat(store.latest().orElseThrow().batchId(), is(1L));
    CheckpointException live =
        assertThrows(CheckpointException.class, () -> store.openWriter("next", clock, TIMEOUT));
    assertThat(live.getMessage(), containsString("live writer: killed"));

    clock.advance(TIMEOUT);
    try (CheckpointWriter next = store.openWriter("next", clock, TIMEOUT)) {
      assertThat(fs.exists(new Path("/ckpt-crash/manifests/.manifest-00000000000000000002.x.tmp")), is(false));
      assertThat(fs.exists(new Path("/ckpt-crash/data/00000000000000000002-a")), is(false));
      next.commit(2, 2, Map.of(), List.of(next.writeData(2, "a", bytes("two again"))));
      assertThrows(WriterFencedException.class,
          () -> killed.commit(3, 3, Map.of(), List.of()));
    }
    Checkpoint c = store.latest().orElseThrow();
    assertThat(c.batchId(), is(2L));
    assertArrayEquals(bytes("two again"), c.read(c.files().get(0)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
