package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * An unbounded source that never ends and whose every record is the number of splits it was split
 * into: what a read delivers shows how many splits the runner asked for.
 */
final class SplitCountingSource extends UnboundedSource<Long, UnboundedSource.CheckpointMark> {
  private final long splits;

  SplitCountingSource() {
    this(1);
  }

  private SplitCountingSource(long splits) {
    this.splits = splits;
  }

  @Override
  public List<SplitCountingSource> split(int desiredNumSplits, PipelineOptions options) {
    List<SplitCountingSource> all = new ArrayList<>();
    for (int i = 0; i < desiredNumSplits; i++) {
      all.add(new SplitCountingSource(desiredNumSplits));
    }
    return all;
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, CheckpointMark checkpoint) {
    return new Reader();
  }

  @Override
  public Coder<CheckpointMark> getCheckpointMarkCoder() {
    return null;
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private final class Reader extends UnboundedReader<Long> {
    @Override
    public boolean start() {
      return true;
    }

    @Override
    public boolean advance() {
      return true;
    }

    @Override
    public Long getCurrent() {
      return splits;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return CheckpointMark.NOOP_CHECKPOINT_MARK;
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return SplitCountingSource.this;
    }

    @Override
    public void close() {}
  }
}
