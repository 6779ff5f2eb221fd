package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyed state of one partition of a stateful stage: each key's state as one encoded blob (its
 * encoding is the operator's), its timers in one time-ordered index per time domain, and its
 * watermark hold. Versioned per batch: the first change to a key in a batch saves the key's
 * committed blob, timers and hold, a commit forgets the saved versions, and a rollback puts them
 * back. So a failed batch leaves no trace, and the committed version (what a checkpoint reads) is
 * always the state as of the last committed batch. The keys each commit changed are remembered until
 * the next {@link #capture}, so a checkpoint writes only those. Confined to the partition's task,
 * except {@link #commit}, {@link #rollback}, {@link #capture} and {@link #apply}, which the engine
 * runs between batches.
 *
 * @param <I> the operator's timer ids
 * @param <T> what the operator gets back when a timer fires
 */
public final class KeyedStateStore<I, T> implements BatchVersioned {
  private final Map<ByteKey, byte[]> blobs = new HashMap<>();
  private final List<TimerIndex<I, T>> timers = new ArrayList<>();
  private final KeyedHolds holds = new KeyedHolds();
  private Map<ByteKey, KeyVersion<I, T>> committedVersions = new HashMap<>();
  // The keys each recent commit since the last capture changed, one set per commit: a commit hands
  // its set over instead of copying it, and the capture (off the driver) takes the union. When no
  // checkpoint comes for RECENT_COMMITS commits, they fold into one set so the list stays short.
  private static final int RECENT_COMMITS = 8;
  private final List<Set<ByteKey>> changedRecently = new ArrayList<>();
  private final Set<ByteKey> changedEarlier = new HashSet<>();
  // Whether commits remember the keys they changed: only once a checkpoint captured or restored
  // the store, so a pipeline without checkpoints pays nothing for it.
  private boolean trackingChanges;
  private final TimerCodec<I, T> timerCodec;
  private long blobBytes;
  private long committedBatch;

  /** A key as of the last commit. */
  private record KeyVersion<I, T>(
      byte[] blob, List<List<TimerIndex.Entry<I, T>>> timersByDomain, long hold) {}

  /** A store whose timers fall into {@code timeDomains} separately ordered domains. */
  public KeyedStateStore(int timeDomains) {
    this(timeDomains, null);
  }

  /** A store that a checkpoint can save: its timers encode with {@code timerCodec}. */
  public KeyedStateStore(int timeDomains, TimerCodec<I, T> timerCodec) {
    this.timerCodec = timerCodec;
    for (int d = 0; d < timeDomains; d++) {
      timers.add(new TimerIndex<>());
    }
  }

  /** The state of {@code key}, or null when it has none. */
  public byte[] blob(ByteKey key) {
    return blobs.get(key);
  }

  /** Replaces the state of {@code key}; null removes it. */
  public void putBlob(ByteKey key, byte[] blob) {
    touch(key);
    byte[] old = blob == null ? blobs.remove(key) : blobs.put(key, blob);
    blobBytes += (blob == null ? 0 : blob.length) - (old == null ? 0 : old.length);
  }

  /**
   * Sets (or replaces) the timer {@code id} of {@code key} in {@code domain}, to fire at {@code
   * time} and hold the output watermark at {@code hold} until then ({@link Watermarks#MAX}: none).
   */
  public void setTimer(int domain, ByteKey key, I id, long time, long hold, T timer) {
    touch(key);
    // An id is one timer across domains: drop it from the others; set() replaces it in its own.
    for (int other = 0; other < timers.size(); other++) {
      if (other != domain) {
        timers.get(other).delete(key, id);
      }
    }
    timers.get(domain).set(key, id, time, hold, timer);
  }

  /** The timer {@code id} of {@code key} in {@code domain}, or null when it is not set there. */
  public TimerIndex.Entry<I, T> timer(int domain, ByteKey key, I id) {
    return timers.get(domain).get(key, id);
  }

  /** Deletes the timer {@code id} of {@code key} in whichever domain it is set. */
  public void deleteTimer(ByteKey key, I id) {
    touch(key);
    for (TimerIndex<I, T> index : timers) {
      index.delete(key, id);
    }
  }

  /**
   * Removes and returns the earliest timer of {@code domain} strictly before {@code bound} among
   * those set before the domain's sequence reached {@code sequenceLimit}; null if none is due.
   */
  public TimerIndex.Entry<I, T> pollBefore(int domain, long bound, long sequenceLimit) {
    TimerIndex<I, T> index = timers.get(domain);
    TimerIndex.Entry<I, T> due = index.peekBefore(bound, sequenceLimit);
    if (due != null) {
      touch(due.key());
      index.delete(due.key(), due.id());
    }
    return due;
  }

  /** The sequence the next timer set in {@code domain} gets (see {@link TimerIndex#nextSequence}). */
  public long nextSequence(int domain) {
    return timers.get(domain).nextSequence();
  }

  /** The timers of {@code key} in every domain. */
  public List<TimerIndex.Entry<I, T>> timersOf(ByteKey key) {
    List<TimerIndex.Entry<I, T>> all = new ArrayList<>();
    for (TimerIndex<I, T> index : timers) {
      all.addAll(index.timersOf(key));
    }
    return all;
  }

  /** The earliest hold of any timer of {@code key}, or {@link Watermarks#MAX}. */
  public long earliestTimerHold(ByteKey key) {
    long earliest = Watermarks.MAX;
    for (TimerIndex<I, T> index : timers) {
      earliest = Math.min(earliest, index.earliestHoldOf(key));
    }
    return earliest;
  }

  public boolean hasTimers(ByteKey key) {
    for (TimerIndex<I, T> index : timers) {
      if (index.hasTimers(key)) {
        return true;
      }
    }
    return false;
  }

  /** Sets the watermark hold of {@code key}; {@link Watermarks#MAX} releases it. */
  public void setHold(ByteKey key, long hold) {
    touch(key);
    holds.set(key, hold);
  }

  /** The earliest hold of any key, or {@link Watermarks#MAX}. */
  public long earliestHold() {
    return holds.earliest();
  }

  /** How many keys have state. */
  public int keys() {
    return blobs.size();
  }

  /** The bytes of every key's encoded state together (keys and map overhead not counted). */
  public long blobBytes() {
    return blobBytes;
  }

  /** The last batch whose changes were committed, 0 before the first. */
  public long committedBatch() {
    return committedBatch;
  }

  @Override
  public void commit(long batchId) {
    if (trackingChanges && !committedVersions.isEmpty()) {
      // Only the keys are needed until the capture: let the saved versions go now, young.
      committedVersions.replaceAll((key, version) -> null);
      changedRecently.add(committedVersions.keySet());
      // Sized for as many keys as this batch changed: the next one likely changes as many.
      committedVersions = new HashMap<>(committedVersions.size() * 4 / 3 + 1);
      if (changedRecently.size() > RECENT_COMMITS) {
        changedRecently.forEach(changedEarlier::addAll);
        changedRecently.clear();
      }
    } else {
      committedVersions.clear();
    }
    committedBatch = batchId;
  }

  @Override
  public void rollback() {
    committedVersions.forEach(this::restore);
    committedVersions.clear();
  }

  /**
   * The committed state of every key ({@code full}) or of the keys changed since the last capture,
   * as references to immutable values; null when nothing changed and not {@code full}. The first
   * capture of a store that was not restored is always full: before it, changes were not tracked.
   */
  public StateCapture capture(boolean full) {
    if (timerCodec == null) {
      throw new IllegalStateException("This keyed state store has no codecs for its timers.");
    }
    full |= !trackingChanges;
    trackingChanges = true;
    Set<ByteKey> keys;
    if (full) {
      keys = keysOfAll();
    } else if (changedRecently.isEmpty() && changedEarlier.isEmpty()) {
      return null;
    } else if (changedRecently.size() == 1 && changedEarlier.isEmpty()) {
      keys = changedRecently.get(0);
    } else {
      keys = new HashSet<>(changedEarlier);
      changedRecently.forEach(keys::addAll);
    }
    List<KeyedStateCapture.KeyEntry> entries = new ArrayList<>(keys.size());
    for (ByteKey key : keys) {
      // The timers as the indexes hold them: immutable, so a reference is a consistent copy.
      Object[] timersByDomain = new Object[timers.size()];
      for (int domain = 0; domain < timersByDomain.length; domain++) {
        timersByDomain[domain] = timers.get(domain).heldTimersOf(key);
      }
      entries.add(new KeyedStateCapture.KeyEntry(key, blobs.get(key), holds.holdOf(key), timersByDomain));
    }
    changedRecently.clear();
    changedEarlier.clear();
    long[] sequences = new long[timers.size()];
    for (int domain = 0; domain < sequences.length; domain++) {
      sequences[domain] = timers.get(domain).nextSequence();
    }
    return new KeyedStateCapture<>(full, sequences, entries, timerCodec);
  }

  /**
   * Applies a capture written by {@link KeyedStateCapture#writeTo} (or merged by {@link
   * KeyedCaptureMerge}): a full one replaces everything,
   * changes replace the keys they name. The result counts as committed.
   */
  public void apply(DataInputStream in) throws IOException {
    KeyedCaptureLayout.Reader reader = new KeyedCaptureLayout.Reader(in);
    long[] sequences = reader.nextSequences();
    if (sequences.length != timers.size()) {
      throw new IOException(
          "Keyed state with " + sequences.length + " timer domains cannot restore a store of "
              + timers.size());
    }
    if (reader.whole()) {
      clear();
    }
    trackingChanges = true;
    for (int domain = 0; domain < sequences.length; domain++) {
      timers.get(domain).advanceSequenceTo(sequences[domain]);
    }
    // Timers the file's dictionary shares are decoded once, and their ids read once.
    List<T> decoded = new ArrayList<>();
    List<I> ids = new ArrayList<>();
    for (ByteKey key = reader.nextKey(); key != null; key = reader.nextKey()) {
      byte[] blob = reader.blob();
      long hold = reader.hold();
      removeKey(key);
      if (blob != null) {
        blobs.put(key, blob);
        blobBytes += blob.length;
      }
      holds.set(key, hold);
      int keyTimers = reader.timers();
      for (int t = 0; t < keyTimers; t++) {
        KeyedCaptureLayout.TimerRecord record = reader.timer();
        if (record.domain() >= timers.size()) {
          throw new IOException("Corrupt keyed state: a timer of domain " + record.domain());
        }
        T timer;
        I id;
        int index = record.dictionaryIndex();
        if (index >= 0 && index < decoded.size()) {
          timer = decoded.get(index);
          id = ids.get(index);
        } else {
          timer = timerCodec.decode(record.bytes());
          id = timerCodec.idOf(timer);
          if (index == decoded.size()) {
            decoded.add(timer);
            ids.add(id);
          }
        }
        timers
            .get(record.domain())
            .restore(new TimerIndex.Entry<>(record.time(), record.sequence(), key, id, record.hold(), timer));
      }
    }
    committedVersions.clear();
  }

  private void clear() {
    for (ByteKey key : keysOfAll()) {
      removeKey(key);
    }
    changedRecently.clear();
    changedEarlier.clear();
  }

  private Set<ByteKey> keysOfAll() {
    Set<ByteKey> keys = new HashSet<>(blobs.keySet());
    for (TimerIndex<I, T> index : timers) {
      keys.addAll(index.keys());
    }
    keys.addAll(holds.keys());
    return keys;
  }

  private void removeKey(ByteKey key) {
    byte[] old = blobs.remove(key);
    if (old != null) {
      blobBytes -= old.length;
    }
    for (TimerIndex<I, T> index : timers) {
      for (TimerIndex.Entry<I, T> entry : List.copyOf(index.timersOf(key))) {
        index.delete(key, entry.id());
      }
    }
    holds.set(key, Watermarks.MAX);
  }

  /** Saves the committed version of {@code key} before the batch first changes it. */
  private void touch(ByteKey key) {
    if (!committedVersions.containsKey(key)) {
      List<List<TimerIndex.Entry<I, T>>> byDomain = new ArrayList<>(timers.size());
      for (TimerIndex<I, T> index : timers) {
        byDomain.add(List.copyOf(index.timersOf(key)));
      }
      committedVersions.put(key, new KeyVersion<>(blobs.get(key), byDomain, holds.holdOf(key)));
    }
  }

  private void restore(ByteKey key, KeyVersion<I, T> version) {
    byte[] current = version.blob() == null ? blobs.remove(key) : blobs.put(key, version.blob());
    blobBytes +=
        (version.blob() == null ? 0 : version.blob().length) - (current == null ? 0 : current.length);
    for (int domain = 0; domain < timers.size(); domain++) {
      TimerIndex<I, T> index = timers.get(domain);
      for (TimerIndex.Entry<I, T> entry : List.copyOf(index.timersOf(key))) {
        index.delete(key, entry.id());
      }
      version.timersByDomain().get(domain).forEach(index::restore);
    }
    holds.set(key, version.hold());
  }
}
