package dev.microbatch.engine.exec;

import dev.microbatch.engine.event.Watermarks;
import java.util.ArrayList;
import java.util.List;

/**
 * What the partitions of one input read inside a consumer's stage in one batch, gathered from the
 * worker threads until every partition has reported, then recorded once on the batch thread as a
 * whole read's would be.
 */
final class InStageInputs {
  /** What one partition read. */
  record PartitionResult(long records, Object progress, long watermark) {}

  private final PartitionResult[] partitions;
  private boolean recorded;

  InStageInputs(int numPartitions) {
    this.partitions = new PartitionResult[numPartitions];
  }

  synchronized void add(int partition, PartitionResult result) {
    if (partitions[partition] != null) {
      throw new IllegalStateException(
          "Internal error: partition " + partition + " of an input was read twice in one batch");
    }
    partitions[partition] = result;
  }

  /** The partitions no task has read yet. */
  synchronized List<Integer> unread() {
    List<Integer> unread = new ArrayList<>();
    for (int p = 0; p < partitions.length; p++) {
      if (partitions[p] == null) {
        unread.add(p);
      }
    }
    return unread;
  }

  synchronized long records() {
    long records = 0;
    for (PartitionResult partition : partitions) {
      records += partition.records();
    }
    return records;
  }

  /** Each partition's progress, in partition order. */
  synchronized List<Object> progress() {
    List<Object> progress = new ArrayList<>(partitions.length);
    for (PartitionResult partition : partitions) {
      progress.add(partition.progress());
    }
    return progress;
  }

  /** The minimum over the partitions: the slowest holds the input back. */
  synchronized long watermark() {
    long watermark = Watermarks.MAX;
    for (PartitionResult partition : partitions) {
      watermark = Math.min(watermark, partition.watermark());
    }
    return watermark;
  }

  /** Marks the read recorded; false if it already was. */
  synchronized boolean markRecorded() {
    boolean first = !recorded;
    recorded = true;
    return first;
  }

  synchronized boolean isRecorded() {
    return recorded;
  }
}
