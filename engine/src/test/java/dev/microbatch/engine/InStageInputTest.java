package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.PartitionReader;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.StageInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An input that may be read inside its consumer's stage is pulled record by record by its only
 * consumer, and still commits exactly what a whole read would: every partition's progress, every
 * record counted, whatever the consumer pulled.
 */
class InStageInputTest {
  private static final int PER_PARTITION = 1_000;
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** Partition p holds p * 1000 ... p * 1000 + 999, once; it counts what its readers produced. */
  static final class LazyInput extends InputDStream<Integer> {
    final AtomicLong produced = new AtomicLong();
    final AtomicInteger wholeReads = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final List<Object> committedProgress = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean committed;

    LazyInput(StreamingContext context) {
      super(context, "lazy");
    }

    @Override
    protected boolean readsInConsumerStage() {
      return true;
    }

    @Override
    protected PartitionRead<Integer> read(int partition, TaskContext task) throws Exception {
      wholeReads.incrementAndGet();
      List<Integer> all = new ArrayList<>();
      try (PartitionReader<Integer> reader = open(partition, task)) {
        reader.forEachRemaining(all::add);
      }
      return new PartitionRead<>(all, "p" + partition, Watermarks.MAX);
    }

    @Override
    protected PartitionReader<Integer> open(int partition, TaskContext task) {
      int end = committed ? 0 : PER_PARTITION;
      return new PartitionReader<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < end;
        }

        @Override
        public Integer next() {
          produced.incrementAndGet();
          return partition * PER_PARTITION + next++;
        }

        @Override
        public Object progress() {
          return "p" + partition;
        }

        @Override
        public long watermark() {
          return Watermarks.MAX;
        }

        @Override
        public void close() {
          closes.incrementAndGet();
        }
      };
    }

    @Override
    protected void commit(List<Object> progress) {
      committedProgress.addAll(progress);
      committed = true;
    }

    @Override
    protected byte[] checkpointPosition() {
      return new byte[] {(byte) (committed ? 1 : 0)};
    }

    @Override
    protected void restorePosition(byte[] position) {
      committed = position[0] == 1;
    }

    @Override
    public boolean isExhausted() {
      return committed;
    }

    @Override
    public boolean hasReadyData() {
      return !committed;
    }
  }

  @Test
  void theConsumerPullsRecordsAsItGoesAndTheReadCommitsWhole() {
    harness = EngineHarness.finite("in-stage", 2);
    LazyInput input = new LazyInput(harness.context());
    List<Long> aheadOfConsumer = Collections.synchronizedList(new ArrayList<>());
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicLong consumed = new AtomicLong();
    input
        .map(x -> x * 2)
        .foreachPartition(
            (partition, task) -> {
              while (partition.hasNext()) {
                seen.add(partition.next());
                // Both partitions pull at once: at most one record each beyond what was consumed.
                aheadOfConsumer.add(input.produced.get() - consumed.incrementAndGet());
              }
            });
    harness.start();
    harness.awaitTermination();

    assertThat(seen.size(), is(2 * PER_PARTITION));
    assertThat(aheadOfConsumer, everyItem(lessThanOrEqualTo(1L)));
    assertThat(input.wholeReads.get(), is(0));
    assertThat(input.closes.get(), is(2));
    assertThat(input.committedProgress, contains("p0", "p1"));
    BatchInfo first = harness.listener().completed().get(0);
    assertThat(first.recordsIn(), is(2L * PER_PARTITION));
    // No stage of its own: the input is read inside the output's stage, which names it.
    List<List<Integer>> inputsPerStage = new ArrayList<>();
    for (StageInfo stage : first.stages()) {
      inputsPerStage.add(stage.inputIds());
    }
    assertThat(inputsPerStage, contains(List.of(input.id())));
  }

  @Test
  void whatTheConsumerLeavesIsReadAtTheEndOfItsTask() {
    harness = EngineHarness.finite("in-stage-partial", 2);
    LazyInput input = new LazyInput(harness.context());
    input.foreachPartition(
        (partition, task) -> {
          // Pull only ten records of partition 1, none of partition 0.
          for (int i = 0; i < 10 && task.partition() == 1; i++) {
            partition.next();
          }
        });
    harness.start();
    harness.awaitTermination();

    assertThat(input.produced.get(), is(2L * PER_PARTITION));
    assertThat(input.committedProgress, contains("p0", "p1"));
    assertThat(harness.listener().completed().get(0).recordsIn(), is(2L * PER_PARTITION));
  }

  @Test
  void anInputNoOutputReadsIsStillReadAndCommitted() {
    harness = EngineHarness.finite("in-stage-unread", 2);
    LazyInput input = new LazyInput(harness.context());
    input.map(x -> x + 1);
    harness
        .context()
        .queueStream(List.of(List.of(1)), true)
        .foreachPartition((partition, task) -> partition.forEachRemaining(x -> {}));
    harness.start();
    harness.awaitTermination();

    assertThat(input.committedProgress, contains("p0", "p1"));
    assertThat(input.closes.get(), is(2));
  }

  @Test
  void aStageThatNeedsTheInputsWatermarkFirstGetsItReadWhole() {
    harness = EngineHarness.finite("in-stage-watermark", 2);
    LazyInput input = new LazyInput(harness.context());
    List<Long> watermarksSeen = Collections.synchronizedList(new ArrayList<>());
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    // A stateful stage reads its input watermark before its tasks run.
    input
        .stateful(
            "watermark-reader",
            (elements, state, time, task) -> {
              List<Integer> out = new ArrayList<>();
              elements.forEachRemaining(out::add);
              watermarksSeen.add(time.inputWatermark());
              return new StageOutput<>(out, Watermarks.MAX);
            },
            () -> Boolean.TRUE)
        .foreachPartition((partition, task) -> partition.forEachRemaining(seen::add));
    harness.start();
    harness.awaitTermination();

    assertThat(input.wholeReads.get(), is(2));
    assertThat(seen.size(), is(2 * PER_PARTITION));
    assertThat(watermarksSeen.get(0), is(Watermarks.MAX));
    assertThat(input.committedProgress, contains("p0", "p1"));
  }
}
