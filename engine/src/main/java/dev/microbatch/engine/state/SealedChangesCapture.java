package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The keys of a {@link KeyedStateStore} changed since its last capture, as the {@link ChangeLog}s
 * of the commits since (oldest first): written on the checkpoint thread in the {@link
 * KeyedCaptureLayout}, each key's newest record copied from where it lies.
 */
final class SealedChangesCapture implements StateCapture {
  private final long[] nextSequences;
  private final List<ChangeLog> logs;
  // Records until written; then the keys written (a key changed by several commits counts once).
  private long entries;

  SealedChangesCapture(long[] nextSequences, List<ChangeLog> logs) {
    this.nextSequences = nextSequences;
    this.logs = List.copyOf(logs);
    for (ChangeLog log : logs) {
      entries += log.records();
    }
  }

  @Override
  public boolean full() {
    return false;
  }

  /** The records the logs hold until written (an upper bound), then the keys written. */
  @Override
  public long entries() {
    return entries;
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    long[] newest = ChangeLogSort.newestByKey(logs);
    KeyedCaptureLayout.Writer writer = new KeyedCaptureLayout.Writer(out, false, nextSequences);
    for (long at : newest) {
      ChangeLog.Reader record = logs.get((int) (at >>> 32)).reader((int) at);
      int timers = record.readKey();
      writer.key(
          record.bytes(), record.keyFrom, record.keyLength,
          record.bytes(), record.blobFrom, record.blobLength,
          record.hold, timers);
      for (int t = 0; t < timers; t++) {
        record.readTimer();
        writer.timer(record.domain, record.time, record.sequence, record.timerHold, record.timer);
      }
    }
    writer.end();
    entries = newest.length;
  }
}
