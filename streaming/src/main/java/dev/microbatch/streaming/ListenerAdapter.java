package dev.microbatch.streaming;

import dev.microbatch.engine.listener.BatchListener;

/** Hands the engine's batch events to a {@link StreamingListener} in the API's own terms. */
final class ListenerAdapter implements BatchListener {
  private final StreamingListener listener;

  ListenerAdapter(StreamingListener listener) {
    this.listener = listener;
  }

  @Override
  public void onBatchSubmitted(dev.microbatch.engine.listener.BatchInfo batch) {
    listener.onBatchSubmitted(convert(batch));
  }

  @Override
  public void onBatchStarted(dev.microbatch.engine.listener.BatchInfo batch) {
    listener.onBatchStarted(convert(batch));
  }

  @Override
  public void onBatchCompleted(dev.microbatch.engine.listener.BatchInfo batch) {
    listener.onBatchCompleted(convert(batch));
  }

  private static BatchInfo convert(dev.microbatch.engine.listener.BatchInfo batch) {
    return new BatchInfo(
        batch.batchId(),
        new Time(batch.batchTime()),
        batch.submittedAt(),
        batch.startedAt(),
        batch.finishedAt(),
        batch.recordsIn());
  }
}
