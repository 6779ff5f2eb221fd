package dev.microbatch.engine.state;

import static dev.microbatch.engine.state.CaptureTestStores.key;
import static dev.microbatch.engine.state.CaptureTestStores.restore;
import static dev.microbatch.engine.state.CaptureTestStores.store;
import static dev.microbatch.engine.state.CaptureTestStores.write;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint of the keyed store: a full capture and the changes after it, applied in order to a
 * fresh store, give back exactly the committed state; a capture of changes holds only the keys
 * that changed.
 */
class KeyedStateCaptureTest {

  @Test
  void aFullCaptureThenChangesRestoreTheCommittedState() throws Exception {
    KeyedStateStore<String, String> store = store();
    for (int k = 0; k < 100; k++) {
      store.putBlob(key(k), new byte[] {(byte) k});
      store.setTimer(0, key(k), "end", 1_000 + k, 500 + k, "end-" + k);
    }
    store.setHold(key(7), 70);
    store.commit(1);
    List<byte[]> chain = new ArrayList<>();
    StateCapture full = store.capture(true);
    assertThat(full.entries(), is(100L));
    chain.add(write(full));

    // Batch 2 changes three keys: one new blob, one deleted key, one re-set timer.
    store.putBlob(key(3), new byte[] {33, 34});
    store.putBlob(key(4), null);
    store.deleteTimer(key(4), "end");
    store.setTimer(1, key(5), "end", 9, Watermarks.MAX, "end-moved");
    store.commit(2);
    // Batch 3 changes something, then fails: its change must not reach a checkpoint.
    store.putBlob(key(6), new byte[] {66});
    store.rollback();
    StateCapture changes = store.capture(false);
    assertThat(changes.full(), is(false));
    assertThat(changes.entries(), is(3L));
    chain.add(write(changes));
    assertThat(store.capture(false), nullValue());

    KeyedStateStore<String, String> restored = restore(chain);
    assertThat(restored.keys(), is(99));
    assertThat(restored.blob(key(3))[1], is((byte) 34));
    assertThat(restored.blob(key(4)), nullValue());
    assertThat(restored.blob(key(6))[0], is((byte) 6));
    assertThat(restored.hasTimers(key(4)), is(false));
    assertThat(restored.earliestHold(), is(70L));
    // Timers come back in time order, in their domains, with their holds and payloads.
    TimerIndex.Entry<String, String> processing = restored.pollBefore(1, 100, Long.MAX_VALUE);
    assertThat(processing.timer(), is("end-moved"));
    TimerIndex.Entry<String, String> first = restored.pollBefore(0, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(first.timer(), is("end-0"));
    assertThat(first.hold(), is(500L));
    assertThat(restored.pollBefore(0, 1_002, Long.MAX_VALUE).timer(), is("end-1"));
  }

  /**
   * A state kept in chunks (an operator appending to it) is saved as their concatenation, by a full
   * capture and by a capture of changes, and a rollback puts back the chunks it had.
   */
  @Test
  void aStateInChunksIsSavedJoinedAndRolledBackWhole() throws Exception {
    KeyedStateStore<String, String> store = store();
    StateBytes two = StateBytes.of(new byte[] {1, 2}).append(new byte[] {3});
    store.putState(key(1), two);
    store.commit(1);
    List<byte[]> chain = new ArrayList<>();
    chain.add(write(store.capture(true)));

    StateBytes three = two.append(new byte[] {4, 5});
    store.putState(key(1), three);
    store.putState(key(2), StateBytes.of(new byte[] {9}).append(new byte[0]).append(new byte[] {8}));
    store.commit(2);
    store.putState(key(1), three.append(new byte[] {6}));
    store.rollback();
    assertThat(store.state(key(1)), is(three));
    assertThat(store.blobBytes(), is(7L));
    chain.add(write(store.capture(false)));

    KeyedStateStore<String, String> restored = restore(chain);
    assertThat(restored.blob(key(1)), is(new byte[] {1, 2, 3, 4, 5}));
    assertThat(restored.blob(key(2)), is(new byte[] {9, 8}));
    assertThat(restored.blob(key(1)).length, is((int) three.length()));
  }

  @Test
  void timersSetAfterARestoreStillSortAfterTheRestoredOnesOfTheSameTime() throws Exception {
    KeyedStateStore<String, String> store = store();
    store.setTimer(0, key(1), "a", 10, Watermarks.MAX, "a-first");
    store.commit(1);
    KeyedStateStore<String, String> restored = restore(List.of(write(store.capture(true))));
    restored.setTimer(0, key(2), "b", 10, Watermarks.MAX, "b-second");
    assertThat(restored.pollBefore(0, 11, Long.MAX_VALUE).timer(), is("a-first"));
    assertThat(restored.pollBefore(0, 11, Long.MAX_VALUE).timer(), is("b-second"));
  }

  @Test
  void aCaptureAfterManyCommitsHoldsEveryKeyTheyChangedOnce() throws Exception {
    KeyedStateStore<String, String> store = store();
    store.putBlob(key(0), new byte[] {0});
    store.commit(1);
    List<byte[]> chain = new ArrayList<>();
    chain.add(write(store.capture(true)));
    // More commits than the store keeps apart, each changing key 1 and one key of its own.
    for (int batch = 2; batch <= 20; batch++) {
      store.putBlob(key(1), new byte[] {(byte) batch});
      store.putBlob(key(batch), new byte[] {(byte) batch});
      store.commit(batch);
    }
    StateCapture changes = store.capture(false);
    chain.add(write(changes));
    // Key 1 changed in every commit and is written once.
    assertThat(changes.entries(), is(20L));

    KeyedStateStore<String, String> restored = restore(chain);
    assertThat(restored.keys(), is(21));
    assertThat(restored.blob(key(1))[0], is((byte) 20));
    assertThat(restored.blob(key(13))[0], is((byte) 13));
  }
  /**
   * Random batches of every kind of change (blobs, timers moved between domains, deleted or fired,
   * holds), some rolled back, some keys sealed mid-batch, with a capture of the changes after some commits: the chain restores
   * what the live store captures whole, byte for byte.
   */
  @Test
  void changesCapturedAcrossRandomBatchesRestoreTheLiveStoreExactly() throws Exception {
    Random random = new Random(42);
    KeyedStateStore<String, String> store = store();
    store.commit(0);
    List<byte[]> chain = new ArrayList<>();
    chain.add(write(store.capture(true)));
    StateCapture pending = null;
    for (int batch = 1; batch <= 200; batch++) {
      for (int op = 0; op < 20; op++) {
        int k = random.nextInt(50);
        switch (random.nextInt(6)) {
          case 0 -> store.putBlob(key(k), random.nextBoolean() ? null : new byte[] {(byte) batch, (byte) op});
          case 1 -> {
            // The test codec takes a timer's id from its payload: the part before the first '-'.
            String id = "t" + random.nextInt(3);
            store.setTimer(random.nextInt(2), key(k), id, random.nextInt(1_000),
                random.nextBoolean() ? Watermarks.MAX : random.nextInt(1_000), id + "-" + batch + "-" + op);
          }
          case 2 -> store.deleteTimer(key(k), "t" + random.nextInt(3));
          case 3 -> store.pollBefore(random.nextInt(2), random.nextInt(1_000), Long.MAX_VALUE);
          case 4 -> store.setHold(key(k), random.nextBoolean() ? Watermarks.MAX : random.nextInt(1_000));
          default -> store.putBlob(key(k), new byte[] {(byte) k});
        }
        // Keys and tasks done mid-batch seal what changed; later changes seal those keys again.
        if (random.nextInt(3) == 0) {
          store.keyDone(key(k));
        }
        if (random.nextInt(15) == 0) {
          store.taskDone();
        }
      }
      // As on the checkpoint thread, a capture is written while the next batch runs.
      if (pending != null) {
        chain.add(write(pending));
        pending = null;
      }
      if (random.nextInt(5) == 0) {
        store.rollback();
      } else {
        store.commit(batch);
        if (random.nextInt(3) == 0) {
          pending = store.capture(false);
        }
      }
    }
    if (pending != null) {
      chain.add(write(pending));
    }
    StateCapture changes = store.capture(false);
    if (changes != null) {
      chain.add(write(changes));
    }

    assertThat(chain.size(), greaterThan(40));
    assertThat(
        Arrays.equals(write(restore(chain).capture(true)), write(store.capture(true))), is(true));
  }
  /** Keys of 0 to 12 bytes, many sharing their first five, sort as their unsigned bytes do. */
  @Test
  void keysSortByTheirUnsignedBytes() {
    Random random = new Random(7);
    List<KeyedStateCapture.KeyEntry> keys = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[random.nextInt(13)];
      random.nextBytes(bytes);
      if (bytes.length > 5 && random.nextBoolean()) {
        System.arraycopy(new byte[] {(byte) 0xF0, 0x00, (byte) 0x80, 0x7F, (byte) 0xFF}, 0, bytes, 0, 5);
      }
      keys.add(new KeyedStateCapture.KeyEntry(ByteKey.of(bytes), null, Watermarks.MAX, new Object[0]));
    }
    List<KeyedStateCapture.KeyEntry> expected = new ArrayList<>(keys);
    expected.sort((a, b) -> Arrays.compareUnsigned(a.key().bytes(), b.key().bytes()));

    List<KeyedStateCapture.KeyEntry> sorted = KeyedStateCapture.sortedByKey(keys);

    assertThat(sorted.size(), is(expected.size()));
    for (int i = 0; i < sorted.size(); i++) {
      assertThat(Arrays.equals(sorted.get(i).key().bytes(), expected.get(i).key().bytes()), is(true));
    }
  }
}
