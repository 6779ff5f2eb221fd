package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One batch's inputs read inside their consumer's stage: what their partitions read, gathered from
 * the worker threads, and recorded on the batch thread (progress, records, watermark) exactly as a
 * whole read of the input would have been, reading to the end whatever the consumer left unread.
 */
final class InStageInputReads {
  private final BatchScope scope;
  private final StreamGraph graph;
  private final int numPartitions;
  private final Map<InputDStream<?>, InStageInputs> reads = new ConcurrentHashMap<>();

  InStageInputReads(BatchScope scope, StreamGraph graph, int numPartitions) {
    this.scope = scope;
    this.graph = graph;
    this.numPartitions = numPartitions;
  }

  /** What one task read of {@code input} inside its stage; any thread. */
  void add(InputDStream<?> input, int partition, InStageInputs.PartitionResult result) {
    reads.computeIfAbsent(input, i -> new InStageInputs(numPartitions)).add(partition, result);
  }

  /**
   * Records the inputs a stage's tasks read, once all of their partitions have: partitions the
   * consumer left unread are read now, as a whole read would have read them. Batch thread, after
   * each stage's tasks.
   */
  void recordFinished() {
    for (Map.Entry<InputDStream<?>, InStageInputs> entry : List.copyOf(reads.entrySet())) {
      InputDStream<?> input = entry.getKey();
      InStageInputs read = entry.getValue();
      if (read.isRecorded()) {
        continue;
      }
      List<Integer> unread = read.unread();
      if (!unread.isEmpty()) {
        readPartitions(input, unread);
      }
      if (read.markRecorded()) {
        scope.recordInput(input, read.records(), read.progress());
        scope.reportWatermark(input, read.watermark());
      }
    }
  }

  /**
   * Reads the inputs meant to be read inside a consumer's stage that no stage read in this batch
   * (their consumer never pulled, or feeds no output), so that their progress commits as it would
   * have. Batch thread, after the output operations.
   */
  void readThoseNoStageRead() {
    for (InputDStream<?> input : graph.inputs()) {
      if (isUnread(input)) {
        readPartitions(input, allPartitions());
      }
    }
  }

  /** Whether {@code input} is to be read inside a stage and has not been read at all yet. */
  boolean isUnread(InputDStream<?> input) {
    return input.isReadInConsumerStage()
        && !graph.mustMaterialize(input)
        && scope.materialized(input) == null
        && !reads.containsKey(input);
  }

  private void readPartitions(InputDStream<?> input, List<Integer> partitions) {
    scope.runTasks(
        task -> {
          if (partitions.contains(task.partition())) {
            Iterator<?> records = input.iterator(task.partition(), task);
            while (records.hasNext()) {
              records.next();
            }
          }
          return null;
        });
  }

  private List<Integer> allPartitions() {
    List<Integer> all = new ArrayList<>(numPartitions);
    for (int p = 0; p < numPartitions; p++) {
      all.add(p);
    }
    return all;
  }
}
