package dev.microbatch.engine.listener;

import dev.microbatch.engine.event.Watermarks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per completed batch (INFO, logger {@value #LOGGER}: set it to WARN to keep only the
 * warnings), and a WARN when batches fall behind: a batch that waited longer than the batch
 * interval to start means the engine is not keeping up with its input. Warnings are at most one
 * per {@link #WARN_EVERY_MILLIS} of batch time, with the count of late batches since the last one.
 */
public final class BatchLog implements BatchListener {
  public static final String LOGGER = "dev.microbatch.batches";
  static final long WARN_EVERY_MILLIS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String pipeline;
  private final long intervalMillis;
  private long lastWarnedBatchTime = Long.MIN_VALUE;
  private long lateSinceWarning;

  public BatchLog(String pipeline, long intervalMillis) {
    this.pipeline = pipeline;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public void onBatchCompleted(BatchInfo batch) {
    if (LOG.isInfoEnabled()) {
      StageInfo slowest = null;
      long watermark = Long.MAX_VALUE;
      for (StageInfo stage : batch.stages()) {
        if (slowest == null || stage.millis() > slowest.millis()) {
          slowest = stage;
        }
        if (stage.outputWatermark() != Long.MIN_VALUE) {
          watermark = Math.min(watermark, stage.outputWatermark());
        }
      }
      LOG.info(
          "{}: batch {} (time {}) done: {} records in, {} out, processing {} ms, scheduling delay {} ms,"
              + " total delay {} ms, slowest stage {}, low watermark {}",
          pipeline, batch.batchId(), batch.batchTime(), batch.recordsIn(), batch.recordsOut(),
          batch.processingTimeMillis(), batch.schedulingDelayMillis(), batch.totalDelayMillis(),
          slowest == null ? "none" : slowest.name() + " (" + slowest.millis() + " ms)",
          watermark == Long.MAX_VALUE ? "none" : Watermarks.text(watermark));
    }
    if (batch.schedulingDelayMillis() > intervalMillis) {
      lateSinceWarning++;
      if (batch.batchTime() - lastWarnedBatchTime >= WARN_EVERY_MILLIS || lastWarnedBatchTime == Long.MIN_VALUE) {
        LOG.warn(
            "{}: falling behind: batch {} waited {} ms to start, more than the {} ms batch interval"
                + " ({} late batches since the last warning); the input arrives faster than"
                + " batches are processed",
            pipeline, batch.batchId(), batch.schedulingDelayMillis(), intervalMillis, lateSinceWarning);
        lastWarnedBatchTime = batch.batchTime();
        lateSinceWarning = 0;
      }
    }
  }

  @Override
  public void onBatchFailed(BatchInfo batch, Throwable failure, boolean retried) {
    LOG.warn(
        "{}: batch {} (time {}) failed{}: {}",
        pipeline, batch.batchId(), batch.batchTime(), retried ? " and is run again" : "", failure.toString());
  }
}
