package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyed state of one partition of a stateful stage: each key's state as encoded bytes, in one
 * or more chunks ({@link StateBytes}; the encoding is the operator's), its timers ({@link
 * TimerDomains}), and its watermark hold. Versioned per batch: the first change to a key in a
 * batch saves the key's committed blob, timers and hold, a commit forgets the saved versions, and
 * a rollback puts them back. So a failed batch leaves no trace, and the committed version (what a
 * checkpoint reads) is always the state as of the last committed batch. The keys each commit
 * changed are remembered, with their version as of that commit (kept up to date by every change,
 * see {@link KeyChange}), until the next {@link #capture}, so a checkpoint writes only those. The
 * partition's worker encodes them into a {@link ChangeLog} as the operator finishes each key
 * ({@link #keyDone}), while they are in its cache, or when its task is done ({@link #taskDone});
 * the commit encodes any left. Confined to the partition's task, except {@link #commit}, {@link
 * #rollback}, {@link #capture} and {@link #apply}, which the engine runs between batches.
 *
 * @param <I> the operator's timer ids
 * @param <T> what the operator gets back when a timer fires
 */
public final class KeyedStateStore<I, T> implements BatchVersioned {
  private final Map<ByteKey, StateBytes> blobs = new HashMap<>();
  private final TimerDomains<I, T> timers;
  private final KeyedHolds holds = new KeyedHolds();
  // The keys this batch changed, each with its committed and its current version.
  private Map<ByteKey, KeyChange> changes = new HashMap<>();
  // The change last looked up: an operator changes one key several times in a row (state, hold,
  // then done), each time with the same key object, so this saves a map lookup per step.
  private KeyChange lastChange;
  // The changes of this batch sealed so far, and those of each commit since the last capture. When
  // no checkpoint comes for RECENT_COMMITS commits, they fold into one log so memory stays bounded.
  private static final int RECENT_COMMITS = 8;
  private ChangeLog sealing = new ChangeLog(0);
  // The changes of this batch whose current version the log does not hold yet.
  private int unsealed;
  private final List<ChangeLog> changedRecently = new ArrayList<>();
  // Whether commits remember the keys they changed: only once a checkpoint captured or restored
  // the store, so a pipeline without checkpoints pays nothing for it.
  private boolean trackingChanges;
  private final TimerCodec<I, T> timerCodec;
  private long blobBytes;
  private long committedBatch;

  /** A store whose timers fall into {@code timeDomains} separately ordered domains. */
  public KeyedStateStore(int timeDomains) {
    this(timeDomains, null);
  }

  /** A store that a checkpoint can save: its timers encode with {@code timerCodec}. */
  public KeyedStateStore(int timeDomains, TimerCodec<I, T> timerCodec) {
    this.timerCodec = timerCodec;
    this.timers = new TimerDomains<>(timeDomains);
  }

  /** The state of {@code key}, or null when it has none. */
  public StateBytes state(ByteKey key) {
    return blobs.get(key);
  }

  /** Replaces the state of {@code key}; null removes it. */
  public void putState(ByteKey key, StateBytes state) {
    KeyChange change = touch(key);
    StateBytes old = state == null ? blobs.remove(key) : blobs.put(key, state);
    blobBytes += lengthOf(state) - lengthOf(old);
    change.blob = state;
  }

  /** The state of {@code key} in one array (joined if it is in chunks), or null when it has none. */
  public byte[] blob(ByteKey key) {
    StateBytes state = blobs.get(key);
    return state == null ? null : state.toArray();
  }

  /** Replaces the state of {@code key} with {@code blob}, which the store keeps; null removes it. */
  public void putBlob(ByteKey key, byte[] blob) {
    putState(key, StateBytes.of(blob));
  }

  private static long lengthOf(StateBytes state) {
    return state == null ? 0 : state.length();
  }

  /**
   * Sets (or replaces) the timer {@code id} of {@code key} in {@code domain}, to fire at {@code
   * time} and hold the output watermark at {@code hold} until then ({@link Watermarks#MAX}: none).
   */
  public void setTimer(int domain, ByteKey key, I id, long time, long hold, T timer) {
    timers.set(domain, key, id, time, hold, timer, touch(key).timers);
  }

  /** The timer {@code id} of {@code key} in {@code domain}, or null when it is not set there. */
  public TimerIndex.Entry<I, T> timer(int domain, ByteKey key, I id) {
    return timers.domain(domain).get(key, id);
  }

  /** Deletes the timer {@code id} of {@code key} in whichever domain it is set. */
  public void deleteTimer(ByteKey key, I id) {
    timers.delete(key, id, touch(key).timers);
  }

  /**
   * Removes and returns the earliest timer of {@code domain} strictly before {@code bound} among
   * those set before the domain's sequence reached {@code sequenceLimit}; null if none is due.
   */
  public TimerIndex.Entry<I, T> pollBefore(int domain, long bound, long sequenceLimit) {
    TimerIndex<I, T> index = timers.domain(domain);
    TimerIndex.Entry<I, T> due = index.peekBefore(bound, sequenceLimit);
    if (due != null) {
      KeyChange change = touch(due.key());
      change.timers[domain] = index.delete(due.key(), due.id());
    }
    return due;
  }

  /** The sequence the next timer set in {@code domain} gets (see {@link TimerIndex#nextSequence}). */
  public long nextSequence(int domain) {
    return timers.domain(domain).nextSequence();
  }

  /** The timers of {@code key} in every domain. */
  public List<TimerIndex.Entry<I, T>> timersOf(ByteKey key) {
    return timers.timersOf(key);
  }

  /** The earliest hold of any timer of {@code key}, or {@link Watermarks#MAX}. */
  public long earliestTimerHold(ByteKey key) {
    return timers.earliestHoldOf(key);
  }

  public boolean hasTimers(ByteKey key) {
    return timers.hasTimers(key);
  }

  /** Sets the watermark hold of {@code key}; {@link Watermarks#MAX} releases it. */
  public void setHold(ByteKey key, long hold) {
    KeyChange change = touch(key);
    holds.set(key, hold);
    change.hold = hold;
  }

  /** The earliest hold of any key, or {@link Watermarks#MAX}. */
  public long earliestHold() {
    return holds.earliest();
  }

  /** Every key that has state, as a copy (the store may change while the caller iterates). */
  public List<ByteKey> keysWithState() {
    return new ArrayList<>(blobs.keySet());
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

  /**
   * The operator is done with {@code key} for now: its change, if any, is encoded into the batch's
   * log at once, while the task has the key's objects in cache (a later change encodes it again).
   */
  public void keyDone(ByteKey key) {
    if (trackingChanges) {
      KeyChange change = lastChange != null && lastChange.key == key ? lastChange : changes.get(key);
      if (change != null && !change.sealed) {
        seal(change);
      }
    }
  }

  /**
   * Encodes the changes of this batch not encoded yet into its log; on the partition's worker,
   * once its task is done with the batch.
   */
  @Override
  public void taskDone() {
    if (!trackingChanges) {
      return;
    }
    if (unsealed > 0) {
      for (KeyChange change : changes.values()) {
        if (!change.sealed) {
          seal(change);
        }
      }
    }
    if (changedRecently.size() >= RECENT_COMMITS) {
      ChangeLog folded = ChangeLog.newestOf(changedRecently);
      changedRecently.clear();
      changedRecently.add(folded);
    }
  }

  private void seal(KeyChange change) {
    try {
      sealing.append(change.key, change.blob, change.hold, change.timers, timerCodec);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not encode a timer of the keyed state for a checkpoint", e);
    }
    change.sealed = true;
    unsealed--;
  }

  @Override
  public void commit(long batchId) {
    if (trackingChanges && !changes.isEmpty()) {
      taskDone();
      changedRecently.add(sealing);
      // Sized for as many keys as this batch changed: the next one likely changes as many.
      sealing = new ChangeLog(changes.size());
    }
    changes.clear();
    lastChange = null;
    unsealed = 0;
    committedBatch = batchId;
  }

  @Override
  public void rollback() {
    changes.forEach(this::restore);
    changes.clear();
    lastChange = null;
    unsealed = 0;
    sealing.clear();
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
    if (!full) {
      if (changedRecently.isEmpty()) {
        return null;
      }
      StateCapture changed = new SealedChangesCapture(timers.nextSequences(), changedRecently);
      changedRecently.clear();
      return changed;
    }
    Set<ByteKey> keys = keysOfAll();
    List<KeyedStateCapture.KeyEntry> entries = new ArrayList<>(keys.size());
    for (ByteKey key : keys) {
      // The timers as the indexes hold them: immutable, so a reference is a consistent copy.
      entries.add(
          new KeyedStateCapture.KeyEntry(
              key, blobs.get(key), holds.holdOf(key), timers.heldTimersOf(key)));
    }
    changedRecently.clear();
    return new KeyedStateCapture<>(true, timers.nextSequences(), entries, timerCodec);
  }

  /**
   * Applies a capture written by {@link KeyedStateCapture#writeTo} (or merged by {@link
   * KeyedCaptureMerge}): a full one replaces everything,
   * changes replace the keys they name. The result counts as committed. Reads the span to the
   * capture's end.
   */
  public void apply(ByteSpan in) throws IOException {
    KeyedCaptureReader reader = new KeyedCaptureReader(in);
    long[] sequences = reader.nextSequences();
    if (sequences.length != timers.count()) {
      throw new IOException(
          "Keyed state with " + sequences.length + " timer domains cannot restore a store of "
              + timers.count());
    }
    if (reader.whole()) {
      clear();
    }
    trackingChanges = true;
    timers.advanceSequencesTo(sequences);
    // Timers the file's dictionary shares are decoded once, and their ids read once.
    List<T> decoded = new ArrayList<>();
    List<I> ids = new ArrayList<>();
    for (ByteKey key = reader.nextKey(); key != null; key = reader.nextKey()) {
      StateBytes blob = StateBytes.of(reader.blob());
      long hold = reader.hold();
      removeKey(key);
      if (blob != null) {
        blobs.put(key, blob);
        blobBytes += blob.length();
      }
      holds.set(key, hold);
      int keyTimers = reader.timers();
      for (int t = 0; t < keyTimers; t++) {
        KeyedCaptureLayout.TimerRecord record = reader.timer();
        if (record.domain() >= timers.count()) {
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
            .domain(record.domain())
            .restore(
                new TimerIndex.Entry<>(
                    record.time(), record.sequence(), key, id, record.hold(), timer));
      }
    }
    changes.clear();
    lastChange = null;
    unsealed = 0;
    sealing.clear();
  }

  private void clear() {
    for (ByteKey key : keysOfAll()) {
      removeKey(key);
    }
    changedRecently.clear();
  }

  private Set<ByteKey> keysOfAll() {
    Set<ByteKey> keys = new HashSet<>(blobs.keySet());
    timers.addKeysTo(keys);
    keys.addAll(holds.keys());
    return keys;
  }

  private void removeKey(ByteKey key) {
    blobBytes -= lengthOf(blobs.remove(key));
    timers.removeAll(key);
    holds.set(key, Watermarks.MAX);
  }

  /**
   * The change record of {@code key} in this batch; the first change to a key in a batch saves its
   * committed version there.
   */
  private KeyChange touch(ByteKey key) {
    KeyChange change = lastChange != null && lastChange.key == key ? lastChange : changes.get(key);
    if (change == null) {
      change = new KeyChange(key, blobs.get(key), timers.heldTimersOf(key), holds.holdOf(key));
      changes.put(key, change);
      unsealed++;
    } else if (change.sealed) {
      change.sealed = false;
      unsealed++;
    }
    lastChange = change;
    return change;
  }

  private void restore(ByteKey key, KeyChange change) {
    StateBytes committed = change.committedBlob;
    StateBytes current = committed == null ? blobs.remove(key) : blobs.put(key, committed);
    blobBytes += lengthOf(committed) - lengthOf(current);
    timers.putBack(key, change.committedTimers);
    holds.set(key, change.committedHold);
  }
}
