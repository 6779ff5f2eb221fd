package dev.microbatch.engine.listener;

/**
 * A checkpoint that became durable. Times are processing-time milliseconds.
 *
 * @param batchId the batch whose committed state it holds
 * @param batchTime that batch's time
 * @param completedAt when its manifest became durable
 * @param stateFiles state files it wrote (one per stage and partition that changed)
 * @param keys keys those files hold
 * @param bytes bytes it wrote (state files, merged chains and the graph file)
 * @param writeMillis time spent writing it, on the checkpoint thread
 * @param captureMillis time the batches were held to capture its state
 * @param compactedChains chains of state files it merged into whole files
 * @param compactionMillis time those merges took
 */
public record CheckpointInfo(
    long batchId,
    long batchTime,
    long completedAt,
    int stateFiles,
    long keys,
    long bytes,
    long writeMillis,
    long captureMillis,
    int compactedChains,
    long compactionMillis) {}
