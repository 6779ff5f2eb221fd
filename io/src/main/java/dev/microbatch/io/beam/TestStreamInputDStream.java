package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.time.ManualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * Beam's {@link TestStream}: one event per batch. An event's elements are read by one partition,
 * in their order; a watermark event moves the input's watermark; a processing-time event advances
 * the engine's manual clock as soon as the batch before it commits, so the batch that stands for
 * it runs at the new time (firing what became due) before any later element arrives. After the
 * last event the watermark is +infinity.
 */
public final class TestStreamInputDStream<T> extends InputDStream<WindowedValue<T>> {
  private final List<Step<T>> steps;
  private final ManualClock clock;
  private volatile int committed;

  /** What one batch reads: its elements, the watermark after it, and the clock advance before it. */
  private record Step<T>(List<TimestampedValue<T>> elements, long watermark, long clockAdvance) {}

  public TestStreamInputDStream(
      StreamingContext context, String name, TestStream<T> testStream, ManualClock clock) {
    super(context, name);
    this.steps = schedule(testStream.getEvents());
    this.clock = clock;
    advanceClockBefore(0);
  }

  private static <T> List<Step<T>> schedule(List<TestStream.Event<T>> events) {
    List<Step<T>> steps = new ArrayList<>();
    long watermark = Watermarks.MIN;
    for (TestStream.Event<T> event : events) {
      if (event instanceof TestStream.ElementEvent<T> elements) {
        List<TimestampedValue<T>> values = new ArrayList<>();
        elements.getElements().forEach(values::add);
        steps.add(new Step<>(values, watermark, 0));
      } else if (event instanceof TestStream.WatermarkEvent<T> advance) {
        watermark = Math.max(watermark, BeamTime.toEngine(advance.getWatermark()));
        steps.add(new Step<>(List.of(), watermark, 0));
      } else if (event instanceof TestStream.ProcessingTimeEvent<T> time) {
        steps.add(new Step<>(List.of(), watermark, time.getProcessingTimeAdvance().getMillis()));
      } else {
        throw new IllegalArgumentException("Unknown TestStream event " + event);
      }
    }
    if (watermark != Watermarks.MAX) {
      steps.add(new Step<>(List.of(), Watermarks.MAX, 0));
    }
    return List.copyOf(steps);
  }

  @Override
  protected PartitionRead<WindowedValue<T>> read(int partition, TaskContext task) {
    int position = committed;
    if (position >= steps.size()) {
      return new PartitionRead<>(List.of(), position, Watermarks.MAX);
    }
    Step<T> step = steps.get(position);
    List<WindowedValue<T>> mine = new ArrayList<>();
    // One event's elements all go to one partition, in the event's order: a shuffle keeps the
    // order of each partition's elements, so every key's elements reach a stateful DoFn in the
    // order the TestStream lists them, as in the one bundle DirectRunner makes of an event.
    // Successive events take turns over the partitions.
    if (partition == position % task.numPartitions()) {
      for (TimestampedValue<T> element : step.elements()) {
        mine.add(
            WindowedValues.timestampedValueInGlobalWindow(
                element.getValue(), element.getTimestamp()));
      }
    }
    return new PartitionRead<>(mine, position + 1, step.watermark());
  }

  @Override
  protected void commit(List<Object> progress) {
    committed = (Integer) progress.get(0);
    advanceClockBefore(committed);
  }

  // Called before the batch of step `position` is generated (the driver generates it after this).
  private void advanceClockBefore(int position) {
    if (position < steps.size() && steps.get(position).clockAdvance() > 0) {
      clock.advance(steps.get(position).clockAdvance());
    }
  }

  /**
   * The position: the number of events committed, as an int32. The manual clock is not part of
   * it: a restore in the same process finds it where it was.
   */
  @Override
  protected byte[] checkpointPosition() {
    return Encoding.int32(committed);
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    committed = Encoding.int32(position);
  }

  @Override
  public boolean isExhausted() {
    return committed >= steps.size();
  }

  @Override
  public boolean hasReadyData() {
    return !isExhausted();
  }
}
