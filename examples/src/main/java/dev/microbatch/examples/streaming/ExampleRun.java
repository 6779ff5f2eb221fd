package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.BatchInfo;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.StreamingListener;
import java.util.concurrent.CountDownLatch;

/**
 * How the streaming examples run: until the process is stopped, as Spark Streaming programs do,
 * or, with the system property {@code examples.batches}, for that many batches and then a
 * graceful stop (what the examples' tests use).
 */
final class ExampleRun {
  private ExampleRun() {}

  static void run(JavaStreamingContext ssc) throws InterruptedException {
    long batches = Long.getLong("examples.batches", 0);
    CountDownLatch done = new CountDownLatch(1);
    if (batches > 0) {
      ssc.addStreamingListener(
          new StreamingListener() {
            @Override
            public void onBatchCompleted(BatchInfo batch) {
              if (batch.batchId() >= batches) {
                done.countDown();
              }
            }
          });
    }
    ssc.start();
    if (batches > 0) {
      done.await();
      ssc.stop(true);
    } else {
      ssc.awaitTermination();
    }
  }
}
