package dev.microbatch.engine.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keyed store's versions: a rollback restores exactly the last committed state. */
class KeyedStateStoreTest {
  private static final ByteKey A = ByteKey.of(new byte[] {1});
  private static final ByteKey B = ByteKey.of(new byte[] {2});

  private static KeyedStateStore<String, String> committedStore() {
    KeyedStateStore<String, String> store = new KeyedStateStore<>(2);
    store.putBlob(A, new byte[] {10});
    store.setTimer(0, A, "t1", 100, Watermarks.MAX, "a-t1");
    store.setTimer(0, B, "t1", 100, Watermarks.MAX, "b-t1");
    store.setTimer(1, A, "p", 5, 5, "a-p");
    store.setHold(A, 50);
    store.commit(1);
    return store;
  }

  @Test
  void aRollbackRestoresBlobsTimersAndHoldsOfEveryKeyTheBatchChanged() {
    KeyedStateStore<String, String> store = committedStore();

    store.putBlob(A, new byte[] {11, 12});
    store.putBlob(B, new byte[] {20});
    store.deleteTimer(A, "p");
    store.setTimer(0, A, "t2", 10, 10, "a-t2");
    assertThat(store.pollBefore(0, 1_000, Long.MAX_VALUE).timer(), is("a-t2"));
    assertThat(store.pollBefore(0, 1_000, Long.MAX_VALUE).timer(), is("a-t1"));
    store.setHold(A, Watermarks.MAX);
    store.setHold(B, 7);
    store.rollback();

    assertThat(store.blob(A), is(new byte[] {10}));
    assertThat(store.blob(B), is(nullValue()));
    assertThat(store.blobBytes(), is(1L));
    assertThat(store.earliestHold(), is(50L));
    assertThat(store.earliestTimerHold(A), is(5L));
    // Timers come back in their original order: equal times keep their original sequence.
    assertThat(timers(store, 0), contains("a-t1", "b-t1"));
    assertThat(timers(store, 1), contains("a-p"));
  }

  @Test
  void aCommitKeepsTheBatchsChangesAndLaterRollbacksGoBackOnlyToIt() {
    KeyedStateStore<String, String> store = committedStore();
    store.putBlob(A, null);
    store.deleteTimer(A, "t1");
    store.setHold(A, Watermarks.MAX);
    store.commit(2);

    store.putBlob(A, new byte[] {99});
    store.rollback();

    assertThat(store.committedBatch(), is(2L));
    assertThat(store.blob(A), is(nullValue()));
    assertThat(store.keys(), is(0));
    assertThat(store.earliestHold(), is(Watermarks.MAX));
    assertThat(timers(store, 0), contains("b-t1"));
  }

  /** Polls every timer of {@code domain}, in firing order. */
  private static List<String> timers(KeyedStateStore<String, String> store, int domain) {
    List<String> fired = new ArrayList<>();
    TimerIndex.Entry<String, String> due;
    while ((due = store.pollBefore(domain, Long.MAX_VALUE, Long.MAX_VALUE)) != null) {
      fired.add(due.timer());
    }
    return fired;
  }
}
