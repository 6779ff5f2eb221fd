package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.listener.BatchInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When batches take longer than the interval, inputs are told to read less in the next batch. */
class BackpressureTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** Reads up to the batch's limit (at most 10,000) per partition for four batches. */
  static final class ThrottledInput extends InputDStream<Integer> {
    final List<Long> limitsSeen = Collections.synchronizedList(new ArrayList<>());
    private volatile int committed;

    ThrottledInput(StreamingContext context) {
      super(context, "throttled");
    }

    @Override
    protected PartitionRead<Integer> read(int partition, TaskContext task) {
      long limit = task.batch().recordLimitPerPartition();
      if (partition == 0) {
        limitsSeen.add(limit);
      }
      List<Integer> records = new ArrayList<>();
      for (int i = 0; i < Math.min(limit, 10_000); i++) {
        records.add(i);
      }
      int next = committed + 1;
      return new PartitionRead<>(records, next, next >= 4 ? Watermarks.MAX : Watermarks.MIN);
    }

    @Override
    protected void commit(List<Object> progress) {
      committed = (Integer) progress.get(0);
    }

    @Override
    protected byte[] checkpointPosition() {
      return dev.microbatch.engine.checkpoint.Encoding.int32(committed);
    }

    @Override
    protected void restorePosition(byte[] position) throws java.io.IOException {
      committed = dev.microbatch.engine.checkpoint.Encoding.int32(position);
    }

    @Override
    public boolean isExhausted() {
      return committed >= 4;
    }

    @Override
    public boolean hasReadyData() {
      return !isExhausted();
    }
  }

  @Test
  void anOverrunningBatchShrinksTheNextAndAFittingOneRelaxesTheLimit() {
    harness = EngineHarness.finite("backpressure", 2);
    ThrottledInput input = new ThrottledInput(harness.context());
    // Processing costs 1 ms of the manual clock per 10 records: 20,000 records overrun the 1 s interval.
    input.foreachPartition(
        (partition, task) -> {
          long records = 0;
          while (partition.hasNext()) {
            partition.next();
            records++;
          }
          harness.clock().advance(records / 10);
        });
    harness.start();

    harness.awaitTermination();

    assertThat(input.limitsSeen, contains(Long.MAX_VALUE, 5_000L, 10_000L, 5_000L));
    List<Long> recordsIn = new ArrayList<>();
    for (BatchInfo batch : harness.listener().completed()) {
      recordsIn.add(batch.recordsIn());
    }
    assertThat(recordsIn, contains(20_000L, 10_000L, 20_000L, 10_000L));
  }
}
