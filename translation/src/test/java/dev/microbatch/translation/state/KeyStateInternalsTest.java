package dev.microbatch.translation.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.state.StateBytes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ValueState;
import org.junit.jupiter.api.Test;

/** A key's state across batches: what each batch writes, and what the next one reads back. */
class KeyStateInternalsTest {
  private static final StateNamespace GLOBAL = StateNamespaces.global();
  private static final StateTag<BagState<String>> BAG = StateTags.bag("buffer", StringUtf8Coder.of());
  private static final StateTag<BagState<String>> SCRATCH = StateTags.bag("scratch", StringUtf8Coder.of());
  private static final StateTag<ValueState<Integer>> VALUE = StateTags.value("count", VarIntCoder.of());

  /**
   * A bag that grows by one element a batch: each batch writes about its element, not the whole
   * bag (300 batches writing their whole state would write 45,150 elements), and every batch reads
   * back all elements in the order they were added.
   */
  @Test
  void aGrowingBagCostsEachBatchAboutWhatItAdded() {
    StateBytes blob = null;
    long written = 0;
    long wholeEachBatch = 0;
    int mostChunks = 0;
    List<String> expected = new ArrayList<>();
    for (int batch = 0; batch < 300; batch++) {
      KeyStateInternals<String> state = new KeyStateInternals<>("k", blob);
      String element = String.format("element-%04d", batch);
      state.state(GLOBAL, BAG).add(element);
      expected.add(element);
      StateBytes after = state.close().blob();
      written += newBytes(blob, after);
      wholeEachBatch += after.length();
      blob = after;
      mostChunks = Math.max(mostChunks, blob.chunks());
      if (batch % 50 == 49) {
        assertThat(readBag(blob), is(expected));
      }
    }
    long elementBytes = 300 * 14;
    assertThat(mostChunks, greaterThan(1));
    assertThat(blob.length(), lessThanOrEqualTo(2 * elementBytes + 512));
    assertThat(written * 10, lessThan(wholeEachBatch));
    // As a checkpoint saves it and a restore reads it: the chunks joined into one array.
    assertThat(readBag(StateBytes.of(blob.toArray())), is(expected));
  }

  /** Bytes a batch put in new arrays: the chunks of {@code after} that {@code before} did not have. */
  private static long newBytes(StateBytes before, StateBytes after) {
    Set<byte[]> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int c = 0; before != null && c < before.chunks(); c++) {
      kept.add(before.chunk(c));
    }
    long added = 0;
    for (int c = 0; c < after.chunks(); c++) {
      added += kept.contains(after.chunk(c)) ? 0 : after.chunk(c).length;
    }
    return added;
  }

  /**
   * A bag of megabytes, added at once and then batch by batch, and written whole again after much
   * of the state died, is kept in chunks none larger than {@link StateBlob#CHUNK_BYTES} (so none is
   * a humongous object), and reads back in order, also joined as a checkpoint saves it.
   */
  @Test
  void aLargeBagIsKeptInChunksNoneLargerThanAChunk() {
    List<String> expected = new ArrayList<>();
    KeyStateInternals<String> first = new KeyStateInternals<>("k", null);
    for (int i = 0; i < 4_000; i++) {
      String element = i + "-" + "x".repeat(300);
      first.state(GLOBAL, BAG).add(element);
      expected.add(element);
    }
    first.state(GLOBAL, VALUE).write(0);
    StateBytes blob = first.close().blob();
    assertChunksAtMostAChunk(blob);
    boolean rewrittenWhole = false;
    for (int batch = 1; batch <= 60; batch++) {
      StateBytes before = blob;
      KeyStateInternals<String> state = new KeyStateInternals<>("k", blob);
      for (int i = 0; i < 50; i++) {
        String element = batch + "/" + i + "-" + "y".repeat(300);
        state.state(GLOBAL, BAG).add(element);
        expected.add(element);
      }
      // A second bag filled and cleared in turns: dead bytes pile up until the key is written whole.
      BagState<String> scratch = state.state(GLOBAL, SCRATCH);
      if (batch % 2 == 0) {
        scratch.clear();
      } else {
        for (int i = 0; i < 1_000; i++) {
          scratch.add("z".repeat(200));
        }
      }
      blob = state.close().blob();
      rewrittenWhole |= blob.chunk(0) != before.chunk(0);
      assertChunksAtMostAChunk(blob);
    }
    assertThat(rewrittenWhole, is(true));
    assertThat(blob.length(), greaterThan(2L * StateBlob.CHUNK_BYTES));
    assertThat(readBag(blob), is(expected));
    assertThat(readBag(StateBytes.of(blob.toArray())), is(expected));
  }

  private static void assertChunksAtMostAChunk(StateBytes blob) {
    for (int c = 0; c < blob.chunks(); c++) {
      assertThat(blob.chunk(c).length, lessThanOrEqualTo(StateBlob.CHUNK_BYTES));
    }
  }

  @Test
  void aCellReadAndLeftAsItWasWritesNothing() {
    KeyStateInternals<String> first = new KeyStateInternals<>("k", null);
    first.state(GLOBAL, VALUE).write(7);
    first.state(GLOBAL, BAG).add("a");
    StateBytes blob = first.close().blob();

    KeyStateInternals<String> reading = new KeyStateInternals<>("k", blob);
    assertThat(reading.state(GLOBAL, VALUE).read(), is(7));
    assertThat(reading.state(GLOBAL, BAG).read(), is(List.of("a")));
    assertThat(reading.close().blob(), sameInstance(blob));
  }

  /** Sets, appends and deletes in later segments win over what earlier ones said. */
  @Test
  void laterSegmentsReplaceAppendToAndDeleteCells() {
    StateBytes blob = batch(null, 1, "a");
    blob = batch(blob, 2, "b");
    blob = batch(blob, null, "c");
    KeyStateInternals<String> reading = new KeyStateInternals<>("k", blob);
    assertThat(reading.state(GLOBAL, VALUE).read(), nullValue());
    assertThat(reading.state(GLOBAL, BAG).read(), is(List.of("a", "b", "c")));

    blob = batch(blob, 3, null);
    reading = new KeyStateInternals<>("k", blob);
    assertThat(reading.state(GLOBAL, VALUE).read(), is(3));
    assertThat(reading.state(GLOBAL, BAG).read(), is(List.of("a", "b", "c")));
  }

  /** A large bag cleared is not kept as dead bytes behind the small state that is left. */
  @Test
  void clearingALargeBagShrinksTheState() {
    StateBytes blob = null;
    for (int batch = 0; batch < 100; batch++) {
      blob = batch(blob, batch, "x".repeat(100));
    }
    assertThat(blob.length(), greaterThan(10_000L));
    KeyStateInternals<String> clearing = new KeyStateInternals<>("k", blob);
    clearing.state(GLOBAL, BAG).clear();
    StateBytes after = clearing.close().blob();

    assertThat(after.length(), lessThan(300L));
    KeyStateInternals<String> reading = new KeyStateInternals<>("k", after);
    assertThat(reading.state(GLOBAL, BAG).read(), emptyIterable());
    assertThat(reading.state(GLOBAL, VALUE).read(), is(99));

    KeyStateInternals<String> emptying = new KeyStateInternals<>("k", after);
    emptying.state(GLOBAL, VALUE).clear();
    assertThat(emptying.close().blob(), nullValue());
  }

  @Test
  void aCorruptChunkFailsNamingTheKeyedState() {
    StateBytes blob = batch(null, 1, "a").append(new byte[] {1, 5, 'x'});
    KeyStateInternals<String> reading = new KeyStateInternals<>("k", blob);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> reading.state(GLOBAL, VALUE).read());
    assertThat(e.getMessage(), containsString("Corrupt keyed state"));
  }

  /** One batch: writes {@code value} (null clears it) and adds {@code element} unless null. */
  private static StateBytes batch(StateBytes blob, Integer value, String element) {
    KeyStateInternals<String> state = new KeyStateInternals<>("k", blob);
    if (value == null) {
      state.state(GLOBAL, VALUE).clear();
    } else {
      state.state(GLOBAL, VALUE).write(value);
    }
    if (element != null) {
      state.state(GLOBAL, BAG).add(element);
    }
    return state.close().blob();
  }

  private static List<String> readBag(StateBytes blob) {
    List<String> all = new ArrayList<>();
    new KeyStateInternals<>("k", blob).state(GLOBAL, BAG).read().forEach(all::add);
    return all;
  }
}
