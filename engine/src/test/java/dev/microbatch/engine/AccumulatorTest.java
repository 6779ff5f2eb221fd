package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.ElementCodecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Accumulators: attempted counts every finished task, committed only committed batches. */
class AccumulatorTest {
  private EngineHarness harness;
  private final Accumulator<long[]> elements =
      new Accumulator<>("elements", () -> new long[1], (target, part) -> target[0] += part[0]);

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void successfulBatchesAddToBothValuesAndCommitBeforeCompletionIsReported(int parallelism) {
    harness = EngineHarness.create("acc", parallelism);
    List<Long> committedAtCompletion = Collections.synchronizedList(new ArrayList<>());
    harness.context().addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            committedAtCompletion.add(committed());
          }
        });
    DStream<Integer> counted =
        harness.queue(List.of(1, 2, 3, 4, 5), List.of(6, 7, 8)).mapPartitions("count", counting());
    harness.collect(counted);
    harness.start();

    harness.awaitBatches(3);
    // The harness's listener is called first; stopping lets the driver call ours for batch 3 too.
    harness.context().stop(true);

    // The listener runs after the commit, so it already sees the batch's contribution.
    assertThat(committedAtCompletion, contains(5L, 8L, 8L));
    assertThat(committed(), is(8L));
    assertThat(attempted(), is(8L));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2})
  void failedBatchAddsToAttemptedButNotToCommitted(int parallelism) {
    harness = EngineHarness.finite("acc-fail", parallelism);
    // The counting stage is cached, so it finishes completely before the output stage fails.
    DStream<Integer> counted =
        harness
            .finiteQueue(List.of(1, 2, 3), List.of(4, 5))
            .mapPartitions("count", counting())
            .cache();
    counted.foreachPartition(
        (partition, task) -> {
          while (partition.hasNext()) {
            if (partition.next() == 5) {
              throw new IllegalStateException("output failed");
            }
          }
        });
    harness.start();

    assertThrows(StreamingFailedException.class, harness::awaitTermination);

    assertThat(committed(), is(3L));
    assertThat(attempted(), is(5L));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void partsFromEveryStageAndPartitionAreMerged(int parallelism) {
    harness = EngineHarness.finite("acc-stages", parallelism);
    // Two counting stages (before and after a shuffle) over 4 elements: 8 in total.
    DStream<Integer> twice =
        harness
            .finiteQueue(List.of(1, 2, 3, 4))
            .mapPartitions("before", counting())
            .shuffle(x -> ByteKey.of(new byte[] {x.byteValue()}), ElementCodecs.int32())
            .mapPartitions("after", counting());
    harness.collect(twice);
    harness.start();

    harness.awaitTermination();

    assertThat(committed(), is(8L));
    assertThat(attempted(), is(8L));
  }

  @Test
  void aPartAddedAfterItsBatchCommittedCountsAsAttemptedAndCommitted() {
    elements.addAfterCommit(new long[] {4});
    elements.addAfterCommit(new long[] {3});

    assertThat(committed(), is(7L));
    assertThat(attempted(), is(7L));
  }

  private long committed() {
    return elements.readCommitted(v -> v[0]);
  }

  private long attempted() {
    return elements.readAttempted(v -> v[0]);
  }

  /** Passes elements through, adding one to this task's part of the accumulator per element. */
  private PartitionFunction<Integer, Integer> counting() {
    return (input, task) -> {
      long[] part = task.accumulator(elements);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return input.hasNext();
        }

        @Override
        public Integer next() {
          part[0]++;
          return input.next();
        }
      };
    };
  }
}
