package dev.microbatch.translation.state;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.engine.state.ByteSpan;
import dev.microbatch.engine.state.KeyedStateStore;
import dev.microbatch.engine.state.ObservableState;
import dev.microbatch.engine.state.TimerIndex;
import dev.microbatch.io.beam.BeamTime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.microbatch.translation.checkpoint.Fingerprints;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StatefulDoFnRunner;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Everything one partition of a Beam stateful stage keeps across batches, in the engine's
 * versioned {@link KeyedStateStore}: each key's state as bytes, the event-time and processing-time
 * timers ordered by time, and each key's watermark hold. While a batch works on a key its state is
 * open ({@link KeyStateInternals}); {@link #afterProcessing} encodes it back. A batch's changes
 * become the committed version only when the batch commits. Touched only by the task that runs the
 * partition, and by the engine between batches. A checkpoint saves the keys each batch changed
 * (the store's incremental captures) and the pushed-back elements whenever they changed.
 */
public final class KeyedPartitionState<K> implements BatchVersioned, CheckpointedState, ObservableState {
  private static final int EVENT_TIME = 0;
  private static final int PROCESSING_TIME = 1;

  // Timers are kept encoded too: a decoded TimerData with its namespace and instants takes
  // several times the bytes.
  private final KeyedStateStore<TimerId, byte[]> store;
  private final Map<ByteKey, KeyStateInternals<K>> open = new HashMap<>();
  private final Coder<K> keyCoder;
  private final TimerInternals.TimerDataCoderV2 timerCoder;
  private final boolean timersHoldOutput;
  private final String fingerprint;
  private final ElementCodec<Object> pushbackCodec;
  private long firingSequenceLimit;
  private long timersFired;
  private boolean pushbackChangedSinceCapture;
  // Namespaces' string keys, shared by every cell and timer id of a namespace.
  private final NamespaceKeys namespaces = new NamespaceKeys();
  private final TimerEncodings timerEncodings;
  private List<Object> pushedBack = new ArrayList<>();
  private List<Object> committedPushedBack = List.of();

  /** A due timer: the key it belongs to and the timer itself. */
  public record DueTimer(ByteKey key, TimerData timer) {}

  private KeyedPartitionState(
      Coder<K> keyCoder,
      Coder<? extends BoundedWindow> windowCoder,
      boolean timersHoldOutput,
      String stateFingerprint,
      ElementCodec<Object> pushbackCodec) {
    this.keyCoder = keyCoder;
    this.timerCoder = TimerInternals.TimerDataCoderV2.of(windowCoder);
    this.timerEncodings = new TimerEncodings(timerCoder);
    this.store = new KeyedStateStore<>(2, new EncodedTimerCodec(timerCoder));
    this.timersHoldOutput = timersHoldOutput;
    this.pushbackCodec = pushbackCodec;
    this.fingerprint =
        "keys="
            + Fingerprints.coder(keyCoder)
            + " windows="
            + Fingerprints.coder(windowCoder)
            + " "
            + stateFingerprint;
  }

  /**
   * For a GroupByKey: Beam's reduce function keeps its own watermark holds in state.
   *
   * @param stateFingerprint what else the state's encoding depends on (the value coder)
   */
  public static <K> KeyedPartitionState<K> forGrouping(
      Coder<K> keyCoder, Coder<? extends BoundedWindow> windowCoder, String stateFingerprint) {
    return new KeyedPartitionState<>(keyCoder, windowCoder, false, stateFingerprint, null);
  }

  /** For a splittable DoFn: work items wait for side inputs, encoded with {@code pushbackCodec}. */
  @SuppressWarnings("unchecked")
  public static <K> KeyedPartitionState<K> forSplittable(
      Coder<K> keyCoder,
      Coder<? extends BoundedWindow> windowCoder,
      String stateFingerprint,
      ElementCodec<?> pushbackCodec) {
    return new KeyedPartitionState<>(
        keyCoder, windowCoder, false, stateFingerprint, (ElementCodec<Object>) pushbackCodec);
  }

  /**
   * For a stateful DoFn: a user's timer also holds the output watermark at its output timestamp
   * until it fires (the runner's own state-cleanup timer does not).
   */
  public static <K> KeyedPartitionState<K> forStatefulDoFn(
      Coder<K> keyCoder, Coder<? extends BoundedWindow> windowCoder, String stateFingerprint) {
    return new KeyedPartitionState<>(keyCoder, windowCoder, true, stateFingerprint, null);
  }

  /** The state of {@code key}, opened for this batch. */
  public KeyStateInternals<K> stateOf(ByteKey encodedKey, K key) {
    return open.computeIfAbsent(encodedKey, k -> new KeyStateInternals<>(key, store.state(k), namespaces));
  }

  /** The state of the key a due timer belongs to, opened for this batch. */
  public KeyStateInternals<K> stateForTimer(ByteKey encodedKey) {
    KeyStateInternals<K> state = open.get(encodedKey);
    return state != null ? state : stateOf(encodedKey, decode(encodedKey));
  }

  public void setTimer(ByteKey key, TimerData timer) {
    boolean holds =
        timersHoldOutput
            && !StatefulDoFnRunner.TimeInternalsCleanupTimer.GC_TIMER_ID.equals(timer.getTimerId());
    TimerId id = timerId(timer.getNamespace(), timer.getTimerId(), timer.getTimerFamilyId());
    int domain = domainOf(timer.getDomain());
    long time = timer.getTimestamp().getMillis();
    long hold = holds ? BeamTime.toEngine(timer.getOutputTimestamp()) : Watermarks.MAX;
    byte[] encoded = timerEncodings.of(timer);
    // Re-setting a timer exactly as it is set (the state-cleanup timer, on every element of a key)
    // changes nothing: skipping it keeps the key out of the batch's changes and the time index.
    TimerIndex.Entry<TimerId, byte[]> current = store.timer(domain, key, id);
    if (current != null
        && current.time() == time
        && current.hold() == hold
        && Arrays.equals(current.timer(), encoded)) {
      return;
    }
    store.setTimer(domain, key, id, time, hold, encoded);
  }

  /** The id of a timer of this partition. */
  TimerId timerId(StateNamespace namespace, String timerId, String timerFamilyId) {
    return new TimerId(namespaces.of(namespace), timerId, timerFamilyId);
  }

  public void deleteTimer(ByteKey key, TimerId id) {
    store.deleteTimer(key, id);
  }

  /**
   * Marks the start of a batch's timer firing: from here on, {@link #pollDue} forces no timer that
   * is set after this call, unless {@code settleWithinBatch} (a bounded pipeline, which has a
   * single batch of data that every stage must finish within).
   */
  public void beginFiring(boolean settleWithinBatch) {
    firingSequenceLimit = settleWithinBatch ? Long.MAX_VALUE : store.nextSequence(PROCESSING_TIME);
  }

  /**
   * Removes and returns the next timer due in a batch: the earliest event-time timer the stage's
   * input watermark has passed, else the earliest processing-time timer the stage's firing time
   * has passed; null when none is due. Once the input is complete (its watermark at +infinity) every
   * processing-time timer set before this batch's firing began is due too: nothing will arrive to
   * wait for, and a pending timer would hold the stage's output watermark back forever. Timers set
   * while firing wait for the next batch, so a timer that keeps re-arming itself (a splittable
   * DoFn resuming) makes progress batch by batch instead of looping inside one.
   */
  public DueTimer pollDue(StageTime time) {
    TimerIndex.Entry<TimerId, byte[]> due = pollOnTime(time);
    if (due == null && time.inputWatermark() == Watermarks.MAX) {
      due = store.pollBefore(PROCESSING_TIME, Long.MAX_VALUE, firingSequenceLimit);
    }
    return fired(due);
  }

  /**
   * Like {@link #pollDue}, except that a processing-time timer is due only once the stage's firing
   * time has passed it, even when the input is complete: for timers that processing time will
   * bring due by itself, such as a splittable DoFn's resumption after the delay it asked for.
   */
  public DueTimer pollDueOnTime(StageTime time) {
    return fired(pollOnTime(time));
  }

  private DueTimer fired(TimerIndex.Entry<TimerId, byte[]> due) {
    if (due == null) {
      return null;
    }
    timersFired++;
    return new DueTimer(due.key(), decode(due.timer()));
  }

  private TimerIndex.Entry<TimerId, byte[]> pollOnTime(StageTime time) {
    TimerIndex.Entry<TimerId, byte[]> due =
        store.pollBefore(EVENT_TIME, time.inputWatermark(), Long.MAX_VALUE);
    return due != null ? due : store.pollBefore(PROCESSING_TIME, time.firingTime(), Long.MAX_VALUE);
  }

  /** After a key was processed: encodes its open state back into the store, with its hold. */
  public void afterProcessing(ByteKey encodedKey) {
    KeyStateInternals<K> state = open.remove(encodedKey);
    if (state == null) {
      return;
    }
    KeyStateInternals.Closed closed = state.close();
    store.putState(encodedKey, closed.blob());
    store.setHold(encodedKey, Math.min(closed.earliestHold(), store.earliestTimerHold(encodedKey)));
    store.keyDone(encodedKey);
  }

  private TimerData decode(byte[] timer) {
    try {
      return CoderUtils.decodeFromByteArray(timerCoder, timer);
    } catch (Exception e) {
      throw new IllegalStateException("Corrupt keyed state: a timer does not decode", e);
    }
  }

  /** Takes the elements a batch pushed back (their side inputs were not ready), leaving none. */
  public List<Object> takePushedBack() {
    List<Object> taken = pushedBack;
    pushbackChangedSinceCapture |= !taken.isEmpty();
    pushedBack = new ArrayList<>();
    return taken;
  }

  /** Keeps elements whose side inputs are not ready for a later batch; they hold the watermark. */
  public void pushBack(List<?> elements) {
    pushbackChangedSinceCapture |= !elements.isEmpty();
    pushedBack.addAll(elements);
  }

  /** The earliest hold of any key of this partition. */
  public long earliestHold() {
    // Pushed-back work waits in the global window at the minimum timestamp: it holds everything.
    return pushedBack.isEmpty() ? store.earliestHold() : Watermarks.MIN;
  }

  @Override
  public long stateKeys() {
    return store.keys();
  }

  @Override
  public long stateBytes() {
    return store.blobBytes();
  }

  @Override
  public long takeTimersFired() {
    long fired = timersFired;
    timersFired = 0;
    return fired;
  }

  @Override
  public void commit(long batchId) {
    store.commit(batchId);
    committedPushedBack = List.copyOf(pushedBack);
  }

  @Override
  public void taskDone() {
    store.taskDone();
  }

  @Override
  public void rollback() {
    open.clear();
    store.rollback();
    pushedBack = new ArrayList<>(committedPushedBack);
  }

  /**
   * The store's capture, then the committed pushed-back elements when they changed since the last
   * capture (or {@code full}), laid out as {@link PartitionCaptureFormat} says.
   */
  @Override
  public StateCapture capture(boolean full) {
    StateCapture keyed = store.capture(full);
    // The store captures whole when it was asked to, and the first time it is captured at all.
    boolean whole = keyed != null && keyed.full();
    boolean withPushback = whole || pushbackChangedSinceCapture;
    if (keyed == null && !withPushback) {
      return null;
    }
    List<Object> pushback = withPushback ? committedPushedBack : null;
    if (pushback != null && !pushback.isEmpty() && pushbackCodec == null) {
      throw new IllegalStateException("Internal error: pushed-back elements without a codec");
    }
    pushbackChangedSinceCapture = false;
    return PartitionCaptureFormat.capture(keyed, whole, pushback, pushbackCodec);
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    byte[] capture = in.readAllBytes();
    apply(capture, capture.length);
  }

  /** Applies the capture in the first {@code length} bytes of {@code capture}, its keys read in place. */
  private void apply(byte[] capture, int length) throws IOException {
    ByteSpan span = new ByteSpan(capture, 0, length);
    if (span.readByte() == 1) {
      store.apply(span);
    }
    open.clear();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(capture, span.position(), span.remaining()));
    List<Object> elements = PartitionCaptureFormat.readPushback(in, pushbackCodec);
    if (elements != null) {
      committedPushedBack = List.copyOf(elements);
      pushedBack = new ArrayList<>(elements);
    }
  }

  /**
   * A chain longer than a whole file and one change is merged first ({@link #merge}), so every key
   * is applied once however many of the chain's files hold it: applying file by file would put each
   * repeated key into the maps and timer index and take it out again.
   */
  @Override
  public void applyChain(List<byte[]> chain) throws IOException {
    if (chain.size() <= 2) {
      for (byte[] capture : chain) {
        apply(capture, capture.length);
      }
      return;
    }
    MergedBytes merged = new MergedBytes();
    try (DataOutputStream out = new DataOutputStream(merged)) {
      merge(chain).writeTo(out);
    }
    apply(merged.array(), merged.size());
  }

  /** The merged file, read back without a copy (the chain and it are both in memory already). */
  private static final class MergedBytes extends ByteArrayOutputStream {
    byte[] array() {
      return buf;
    }
  }

  /** The chain merged into one whole capture ({@link PartitionCaptureFormat#merge}). */
  @Override
  public StateCapture merge(List<byte[]> chain) throws IOException {
    return PartitionCaptureFormat.merge(chain);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  private K decode(ByteKey encodedKey) {
    try {
      return CoderUtils.decodeFromByteArray(keyCoder, encodedKey.bytes());
    } catch (Exception e) {
      throw new IllegalStateException("Corrupt keyed state: a key does not decode with " + keyCoder, e);
    }
  }

  private static int domainOf(TimeDomain domain) {
    return domain == TimeDomain.EVENT_TIME ? EVENT_TIME : PROCESSING_TIME;
  }
}
