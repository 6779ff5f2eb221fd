package dev.microbatch.engine.recovery;

import dev.microbatch.engine.listener.CheckpointInfo;
import dev.microbatch.engine.checkpoint.CheckpointWriter;
import dev.microbatch.engine.checkpoint.DataFileContent;
import dev.microbatch.engine.checkpoint.DataFileRef;
import dev.microbatch.engine.checkpoint.Failpoint;
import dev.microbatch.engine.checkpoint.GraphCheckpoint;
import dev.microbatch.engine.checkpoint.GraphCheckpointCodec;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.time.Clock;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one checkpoint's files on the checkpoint thread: each captured state encoded into its
 * data file, then the graph file, then the manifest listing every file of every chain (older,
 * shared files too). Knows every file the current chains reference, to list it. Used by one
 * thread at a time (the driver before the checkpoint thread's first task, then that thread).
 */
final class CheckpointFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

  private final String name;
  private final CheckpointWriter writer;
  private final Clock clock;
  private final Failpoint failpoint;
  private final StateChains chains;
  private final Map<String, DataFileRef> refsByPath = new HashMap<>();

  CheckpointFiles(
      String name, CheckpointWriter writer, Clock clock, Failpoint failpoint, StateChains chains) {
    this.name = name;
    this.writer = writer;
    this.clock = clock;
    this.failpoint = failpoint;
    this.chains = chains;
  }

  /** Forgets every known file (before a restore names them again). */
  void forget() {
    refsByPath.clear();
  }

  /** A file of a restored chain, which the next checkpoints list again. */
  void known(DataFileRef ref) {
    refsByPath.put(ref.path(), ref);
  }

  /**
   * Writes the checkpoint of {@code batchId}: data files, the whole files of the chains it
   * compacts, the graph file, then the manifest. {@code captureMillis}, how long the driver took
   * to capture the state, goes into the log line.
   */
  CheckpointInfo write(
      long batchId,
      long batchTime,
      GraphCheckpoint graph,
      Map<String, StateCapture> captures,
      List<ChainCompaction> compactions,
      long captureMillis)
      throws IOException {
    long started = clock.millis();
    long bytes = 0;
    long entries = 0;
    int wholeFiles = compactions.size();
    for (Map.Entry<String, StateCapture> capture : captures.entrySet()) {
      wholeFiles += capture.getValue().full() ? 1 : 0;
      DataFileRef ref = writer.writeData(batchId, capture.getKey(), contentOf(capture.getValue()));
      known(ref);
      bytes += ref.length();
      entries += capture.getValue().entries();
    }
    long compactionStarted = clock.millis();
    long compactedKeys = 0;
    for (ChainCompaction compaction : compactions) {
      StateCapture merged = compaction.merge(path -> writer.readData(refOf(path)));
      StateChains.Compaction what = compaction.compaction();
      DataFileRef ref = writer.writeData(batchId, what.fileName(), contentOf(merged));
      known(ref);
      bytes += ref.length();
      chains.compacted(what.stage(), what.partition(), ref.path(), merged.entries());
      compactedKeys += merged.entries();
    }
    long compactionMillis = clock.millis() - compactionStarted;
    DataFileRef graphRef =
        writer.writeData(batchId, CheckpointCoordinator.GRAPH_FILE, GraphCheckpointCodec.encode(graph));
    failpoint.reach("before-manifest");
    List<DataFileRef> listed = new ArrayList<>();
    listed.add(graphRef);
    Set<String> referenced = new HashSet<>();
    for (List<List<String>> byPartition : graph.stateChains().values()) {
      for (List<String> chain : byPartition) {
        for (String path : chain) {
          referenced.add(path);
          listed.add(refOf(path));
        }
      }
    }
    refsByPath.keySet().retainAll(referenced);
    writer.commit(
        batchId, batchTime, Map.of(CheckpointCoordinator.GRAPH_FILE, graphRef.path()), listed, failpoint);
    failpoint.reach("after-manifest");
    long finished = clock.millis();
    LOG.debug(
        "{}: checkpoint of batch {}: {} state files ({} whole), {} keys, {} bytes, {} ms, captured in {} ms,"
            + " {} chains compacted ({} keys) in {} ms",
        name,
        batchId,
        captures.size() + compactions.size(),
        wholeFiles,
        entries,
        bytes + graphRef.length(),
        finished - started,
        captureMillis,
        compactions.size(),
        compactedKeys,
        compactionMillis);
    return new CheckpointInfo(
        batchId, batchTime, finished, captures.size(), entries, bytes + graphRef.length(), finished - started,
        captureMillis, compactions.size(), compactionMillis);
  }

  private DataFileRef refOf(String path) {
    DataFileRef ref = refsByPath.get(path);
    if (ref == null) {
      throw new IllegalStateException("Internal error: checkpoint file " + path + " is unknown");
    }
    return ref;
  }

  private static DataFileContent contentOf(StateCapture capture) {
    return out -> {
      DataOutputStream data = new DataOutputStream(out);
      capture.writeTo(data);
      data.flush();
    };
  }

}
