package dev.microbatch.streaming.internal;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.engine.state.ByteSpan;
import dev.microbatch.engine.state.KeyedCaptureMerge;
import dev.microbatch.engine.state.KeyedStateStore;
import dev.microbatch.engine.state.TimerCodec;
import dev.microbatch.engine.state.TimerIndex;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a keyed stateful operation of the streaming API: each key's state as the bytes
 * of its encoded value, and at most one processing-time timeout per key. Versioned per batch (a
 * failed batch rolls back) and checkpointed incrementally (only keys changed since the last
 * checkpoint), both by the engine's {@link KeyedStateStore}.
 */
public final class KeyedBlobState implements BatchVersioned, CheckpointedState {
  private static final String TIMEOUT = "timeout";
  // Marks a partition whose initial state was loaded: no value's encoding is empty, so no key is.
  private static final ByteKey SEEDED = ByteKey.of(new byte[0]);
  private static final int PROCESSING_TIME = 0;

  private final KeyedStateStore<String, byte[]> store =
      new KeyedStateStore<>(1, new TimeoutCodec());
  private final String fingerprint;

  public KeyedBlobState(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  public byte[] get(ByteKey key) {
    return store.blob(key);
  }

  /** Replaces the state of {@code key}; null removes it. */
  public void put(ByteKey key, byte[] blob) {
    store.putBlob(key, blob);
  }

  /** Every key with state. */
  public List<ByteKey> keys() {
    List<ByteKey> keys = store.keysWithState();
    keys.remove(SEEDED);
    return keys;
  }

  /** Whether {@link #markSeeded} ran in a committed batch (or before the checkpoint restored). */
  public boolean isSeeded() {
    return store.blob(SEEDED) != null;
  }

  public void markSeeded() {
    store.putBlob(SEEDED, new byte[0]);
  }

  /** Sets the timeout of {@code key} to fire once processing time passes {@code time}. */
  public void setTimeout(ByteKey key, long time) {
    store.setTimer(PROCESSING_TIME, key, TIMEOUT, time, Long.MAX_VALUE, new byte[0]);
  }

  public void clearTimeout(ByteKey key) {
    store.deleteTimer(key, TIMEOUT);
  }

  /** Removes and returns every key whose timeout is strictly before {@code bound}. */
  public List<ByteKey> pollTimedOut(long bound) {
    List<ByteKey> due = new ArrayList<>();
    long limit = store.nextSequence(PROCESSING_TIME);
    for (TimerIndex.Entry<String, byte[]> entry;
        (entry = store.pollBefore(PROCESSING_TIME, bound, limit)) != null; ) {
      due.add(entry.key());
    }
    return due;
  }

  @Override
  public void commit(long batchId) {
    store.commit(batchId);
  }

  @Override
  public void taskDone() {
    store.taskDone();
  }

  @Override
  public void rollback() {
    store.rollback();
  }

  @Override
  public StateCapture capture(boolean full) {
    return store.capture(full);
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    store.apply(new ByteSpan(in.readAllBytes()));
  }

  @Override
  public StateCapture merge(List<byte[]> chain) throws IOException {
    List<ByteSpan> spans = new ArrayList<>(chain.size());
    for (byte[] capture : chain) {
      spans.add(new ByteSpan(capture));
    }
    return new KeyedCaptureMerge(spans);
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /** Timeouts carry no payload: each is the key's one timer, written as no bytes. */
  private static final class TimeoutCodec implements TimerCodec<String, byte[]> {
    @Override
    public byte[] encode(byte[] timer) {
      return timer;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }

    @Override
    public String idOf(byte[] timer) {
      return TIMEOUT;
    }
  }
}
