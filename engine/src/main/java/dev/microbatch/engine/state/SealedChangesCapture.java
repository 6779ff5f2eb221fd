package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
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
    // Per log, the file's dictionary entry of each of its timers (-1: not written yet), so equal
    // timers are looked up by content once per log.
    int[][] dictionaryEntries = new int[logs.size()][];
    for (int l = 0; l < logs.size(); l++) {
      dictionaryEntries[l] = new int[logs.get(l).timers()];
      Arrays.fill(dictionaryEntries[l], -1);
    }
    for (long at : newest) {
      int log = (int) (at >>> 32);
      ChangeLog.Reader record = logs.get(log).reader((int) at);
      int timers = record.readKey();
      writer.key(
          record.bytes(), record.keyFrom, record.keyLength,
          record.bytes(), record.blobFrom, record.blobLength,
          record.hold, timers);
      for (int t = 0; t < timers; t++) {
        record.readTimer();
        int entry = dictionaryEntries[log][record.timerIndex];
        if (entry >= 0) {
          writer.timerEntry(record.domain, record.time, record.sequence, record.timerHold, entry);
        } else {
          dictionaryEntries[log][record.timerIndex] =
              writer.timer(record.domain, record.time, record.sequence, record.timerHold, record.timer);
        }
      }
    }
    writer.end();
    entries = newest.length;
  }
}
