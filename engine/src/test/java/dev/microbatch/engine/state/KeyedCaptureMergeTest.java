package dev.microbatch.engine.state;

import static dev.microbatch.engine.state.CaptureTestStores.key;
import static dev.microbatch.engine.state.CaptureTestStores.restore;
import static dev.microbatch.engine.state.CaptureTestStores.store;
import static dev.microbatch.engine.state.CaptureTestStores.write;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Merging a chain of keyed captures by their bytes gives the state that applying the chain gives:
 * same keys, blobs, timers (with their sequences and holds) and watermark holds.
 */
class KeyedCaptureMergeTest {
  private static final int KEYS = 300;

  private static StateCapture merge(List<byte[]> chain) throws IOException {
    List<ByteSpan> files = new ArrayList<>();
    for (byte[] file : chain) {
      files.add(new ByteSpan(file));
    }
    return new KeyedCaptureMerge(files);
  }

  /** A random batch of changes: blobs written and removed, timers set and deleted, holds. */
  private static void changeSome(KeyedStateStore<String, String> store, Random random, int batch) {
    for (int i = 0; i < 60; i++) {
      ByteKey key = key(random.nextInt(KEYS));
      switch (random.nextInt(6)) {
        case 0, 1 -> store.putBlob(key, new byte[] {(byte) batch, (byte) i});
        case 2 -> store.putBlob(key, null);
        case 3 -> {
          String id = "t" + random.nextInt(2);
          store.setTimer(
              random.nextInt(2), key, id, random.nextInt(1000), random.nextInt(1000),
              id + "-" + batch + "-" + i);
        }
        case 4 -> store.deleteTimer(key, "t" + random.nextInt(2));
        default -> store.setHold(key, random.nextBoolean() ? Watermarks.MAX : random.nextInt(1000));
      }
    }
  }

  /** Everything a store holds, key by key, in a comparable form. */
  private static List<String> contents(KeyedStateStore<String, String> store) {
    List<String> all = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      ByteKey key = key(k);
      List<String> timers = new ArrayList<>();
      for (TimerIndex.Entry<String, String> t : store.timersOf(key)) {
        timers.add(t.id() + "@" + t.time() + "#" + t.sequence() + "h" + t.hold() + "=" + t.timer());
      }
      all.add(k + ": " + Arrays.toString(store.blob(key)) + " " + timers + " hold " + store.earliestTimerHold(key));
    }
    all.add("keys " + store.keys() + " earliest hold " + store.earliestHold()
        + " sequences " + store.nextSequence(0) + "/" + store.nextSequence(1));
    return all;
  }

  @Test
  void aMergedChainRestoresWhatTheChainRestores() throws IOException {
    Random random = new Random(7);
    KeyedStateStore<String, String> store = store();
    List<byte[]> chain = new ArrayList<>();
    for (int batch = 1; batch <= 12; batch++) {
      changeSome(store, random, batch);
      store.commit(batch);
      chain.add(write(store.capture(batch == 1)));
    }

    StateCapture merge = merge(chain);
    byte[] merged = write(merge);

    assertThat(merge.full(), is(true));
    assertThat(merge.entries(), is(restore(chain).capture(true).entries()));
    assertThat(contents(restore(List.of(merged))), is(contents(restore(chain))));
    assertThat(contents(restore(chain)), is(contents(store)));
    // A merged file merges again, with later changes, just as well.
    changeSome(store, random, 13);
    store.commit(13);
    List<byte[]> next = List.of(merged, write(store.capture(false)));
    assertThat(contents(restore(List.of(write(merge(next))))), is(contents(store)));
  }

  @Test
  void aChainThatDoesNotStartWholeOrEndsEarlyIsRefused() throws IOException {
    KeyedStateStore<String, String> store = store();
    store.putBlob(key(1), new byte[] {1});
    store.commit(1);
    byte[] whole = write(store.capture(true));
    store.putBlob(key(2), new byte[] {2});
    store.commit(2);
    byte[] changes = write(store.capture(false));

    IOException notWhole = assertThrows(IOException.class, () -> merge(List.of(changes)));
    assertThat(notWhole.getMessage(), containsString("must start with a whole capture"));
    byte[] truncated = Arrays.copyOf(whole, whole.length - 1);
    assertThrows(IOException.class, () -> write(merge(List.of(truncated))));
  }

  @Test
  void keysThatShareTheirFirstEightBytesOrEndEarlyMergeInOrder() throws IOException {
    List<ByteKey> keys = new ArrayList<>();
    for (int last = 0; last < 40; last++) {
      keys.add(ByteKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) (200 - last)}));
      keys.add(ByteKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) (200 - last), 0}));
    }
    keys.add(ByteKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    keys.add(ByteKey.of(new byte[] {1, 2}));
    keys.add(ByteKey.of(new byte[] {1, 2, 0}));
    keys.add(ByteKey.of(new byte[] {(byte) 0xFF}));
    KeyedStateStore<String, String> store = store();
    for (int i = 0; i < keys.size(); i++) {
      store.putBlob(keys.get(i), new byte[] {(byte) i});
    }
    store.commit(1);
    byte[] whole = write(store.capture(true));
    for (int i = 0; i < keys.size(); i += 3) {
      store.putBlob(keys.get(i), i % 2 == 0 ? null : new byte[] {(byte) -i});
    }
    store.commit(2);
    byte[] changes = write(store.capture(false));

    KeyedStateStore<String, String> merged = restore(List.of(write(merge(List.of(whole, changes)))));

    for (ByteKey key : keys) {
      assertThat(Arrays.toString(merged.blob(key)), is(Arrays.toString(store.blob(key))));
    }
    assertThat(merged.keys(), is(store.keys()));
  }

  @Test
  void capturesLargerThanTheWritersBufferRoundTrip() throws IOException {
    KeyedStateStore<String, String> store = store();
    Random random = new Random(3);
    for (int k = 0; k < 5_000; k++) {
      byte[] blob = new byte[k == 77 ? 100_000 : 20];
      random.nextBytes(blob);
      store.putBlob(ByteKey.of(new byte[] {(byte) (k >> 8), (byte) k, 9}), blob);
    }
    store.commit(1);
    byte[] whole = write(store.capture(true));
    assertThat(whole.length > 2 * 65_536, is(true));

    KeyedStateStore<String, String> restored = restore(List.of(write(merge(List.of(whole)))));
    assertThat(restored.keys(), is(5_000));
    assertThat(restored.blobBytes(), is(store.blobBytes()));
    for (int k = 0; k < 5_000; k += 7) {
      ByteKey key = ByteKey.of(new byte[] {(byte) (k >> 8), (byte) k, 9});
      assertThat(Arrays.equals(restored.blob(key), store.blob(key)), is(true));
    }
  }

  /** Keys 0..keys-1, key k with timer payload {@code "gc-" + k / share} (shared by share keys). */
  private static KeyedStateStore<String, String> storeWithSharedTimers(int keys, int share) {
    KeyedStateStore<String, String> store = store();
    for (int k = 0; k < keys; k++) {
      ByteKey key = ByteKey.of(new byte[] {(byte) (k >> 16), (byte) (k >> 8), (byte) k});
      store.putBlob(key, new byte[] {(byte) k});
      store.setTimer(k % 2, key, "gc", 1_000 + k / share, Watermarks.MAX, "gc-" + (k / share));
    }
    store.commit(1);
    return store;
  }

  /** Every third key: even ones get a new shared timer with a hold, odd ones are deleted. */
  private static void changeSharedTimers(KeyedStateStore<String, String> store, int keys) {
    for (int k = 0; k < keys; k += 3) {
      ByteKey key = ByteKey.of(new byte[] {(byte) (k >> 16), (byte) (k >> 8), (byte) k});
      if (k % 2 == 0) {
        store.setTimer(0, key, "gc", 5, 7, "gc-new");
      } else {
        store.putBlob(key, null);
        store.deleteTimer(key, "gc");
      }
    }
    store.commit(2);
  }

  private static List<String> everything(KeyedStateStore<String, String> store, int keys) {
    List<String> all = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      ByteKey key = ByteKey.of(new byte[] {(byte) (k >> 16), (byte) (k >> 8), (byte) k});
      List<String> timers = new ArrayList<>();
      for (TimerIndex.Entry<String, String> t : store.timersOf(key)) {
        timers.add(t.id() + "@" + t.time() + "#" + t.sequence() + "h" + t.hold() + "=" + t.timer());
      }
      all.add(Arrays.toString(store.blob(key)) + timers);
    }
    all.add("keys " + store.keys() + " hold " + store.earliestHold());
    return all;
  }

  @Test
  void sharedTimersSurviveMergesOfMerges() throws IOException {
    KeyedStateStore<String, String> store = storeWithSharedTimers(600, 10);
    byte[] whole = write(store.capture(true));
    changeSharedTimers(store, 600);
    byte[] changes = write(store.capture(false));

    byte[] merged = write(merge(List.of(whole, changes)));

    assertThat(everything(restore(List.of(merged)), 600), is(everything(store, 600)));
    changeSharedTimers(store, 600);
    byte[] later = write(store.capture(false));
    assertThat(
        everything(restore(List.of(write(merge(List.of(merged, later))))), 600),
        is(everything(store, 600)));
  }

  @Test
  void oneTimerArraySharedByEveryKeyIsWrittenOnce() throws IOException {
    // Timers kept as their encoding, one array shared by every key (as the runner keeps them).
    KeyedStateStore<String, byte[]> store =
        new KeyedStateStore<>(2, new TimerCodec<>() {
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
            return "gc";
          }
        });
    byte[] cleanup = new byte[56];
    for (int k = 0; k < KEYS; k++) {
      store.putBlob(key(k), new byte[] {(byte) k});
      store.setTimer(0, key(k), "gc", 1_000, Watermarks.MAX, cleanup);
    }
    store.commit(1);

    byte[] whole = write(store.capture(true));

    assertThat(whole.length < KEYS * 24 + cleanup.length, is(true));
  }

  @Test
  void equalTimersAreWrittenOnceAFileAndRestoredShared() throws IOException {
    KeyedStateStore<String, String> store = store();
    String cleanup = "gc-" + "x".repeat(50);
    for (int k = 0; k < KEYS; k++) {
      store.putBlob(key(k), new byte[] {(byte) k});
      store.setTimer(0, key(k), "gc", 1_000, Watermarks.MAX, cleanup);
    }
    store.commit(1);
    byte[] whole = write(store.capture(true));

    // Per key: 3 bytes of key, 2 of blob, 1 of hold flag, 1 of timer count, and a timer of a
    // domain byte, 8 bytes of time, a sequence and a dictionary reference: about 20, not 70.
    assertThat(whole.length < KEYS * 24 + cleanup.length(), is(true));
    KeyedStateStore<String, String> restored = restore(List.of(whole));
    assertThat(contents(restored), is(contents(store)));
    assertThat(
        restored.timersOf(key(1)).get(0).timer() == restored.timersOf(key(2)).get(0).timer(),
        is(true));
  }

  @Test
  void theFirstCaptureOfAStoreIsWholeEvenWhenChangesAreAskedFor() {
    KeyedStateStore<String, String> store = store();
    store.putBlob(key(1), new byte[] {1});
    store.commit(1);
    assertThat(store.capture(false).full(), is(true));
    store.putBlob(key(2), new byte[] {2});
    store.commit(2);
    assertThat(store.capture(false).full(), is(false));
  }
}
