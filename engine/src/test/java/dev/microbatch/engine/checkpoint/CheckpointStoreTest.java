package dev.microbatch.engine.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.time.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint format on the local file system, through Hadoop's FileSystem with file:// URIs. */
class CheckpointStoreTest {
  private static final long TIMEOUT = 10_000;

  @TempDir Path tmp;
  private Path dir;
  private CheckpointStore store;
  private final ManualClock clock = new ManualClock(1_000);

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.resolve("ckpt");
    store = CheckpointStore.open(dir.toUri().toString(), new Configuration());
  }

  @Test
  void newOrEmptyDirectoryHasNoCheckpoint() throws IOException {
    assertThat(store.latest(), is(Optional.empty()));
    Files.createDirectories(dir);
    assertThat(store.latest(), is(Optional.empty()));
    // A first writer killed while writing the format marker leaves only its temporary file.
    Files.write(dir.resolve("._FORMAT.0b1c.tmp"), bytes("microbatch-che"));
    assertThat(store.latest(), is(Optional.empty()));
  }

  @Test
  void roundTrip() throws IOException {
    try (CheckpointWriter w = store.openWriter("w1", clock, TIMEOUT)) {
      DataFileRef a = w.writeData(7, "s1-p0.state", bytes("alpha"));
      DataFileRef b = w.writeData(7, "source-0.mark", new byte[0]);
      w.commit(7, 12_345, Map.of("pipeline", "wordcount"), List.of(a, b));
    }

    // A plain local path names the same directory as its file:// URI.
    Checkpoint c = CheckpointStore.open(dir.toString(), new Configuration()).latest().orElseThrow();
    assertThat(c.batchId(), is(7L));
    assertThat(c.batchTimeMillis(), is(12_345L));
    assertThat(c.metadata(), is(Map.of("pipeline", "wordcount")));
    assertThat(c.files().size(), is(2));
    assertArrayEquals(bytes("alpha"), c.read(c.files().get(0)));
    assertArrayEquals(new byte[0], c.read(c.files().get(1)));
    assertThat(Files.readString(dir.resolve("_FORMAT")), is("microbatch-checkpoint 3\n"));
    assertThat(names("manifests"), containsInAnyOrder("manifest-00000000000000000007"));
    assertThat(names("data"), containsInAnyOrder(
        "00000000000000000007-s1-p0.state", "00000000000000000007-source-0.mark"));
  }

  @Test
  void truncatedNewestManifestFallsBackToThePreviousOne() throws IOException {
    commitBatches(1, 2);
    Path newest = dir.resolve("manifests/manifest-00000000000000000002");
    byte[] whole = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 2));

    Checkpoint c = store.latest().orElseThrow();

    assertThat(c.batchId(), is(1L));
    assertArrayEquals(bytes("state-1"), c.read(c.files().get(0)));
  }

  @Test
  void flippedByteInADataFileFallsBackToThePreviousOne() throws IOException {
    commitBatches(1, 2);
    flipByte(dir.resolve("data/00000000000000000002-s1-p0.state"), 3);

    assertThat(store.latest().orElseThrow().batchId(), is(1L));
  }

  @Test
  void dataFileDamagedAfterRecoveryFailsItsRead() throws IOException {
    commitBatches(1);
    Checkpoint c = store.latest().orElseThrow();
    flipByte(dir.resolve("data/00000000000000000001-s1-p0.state"), 0);

    CheckpointException e = assertThrows(CheckpointException.class, () -> c.read(c.files().get(0)));
    assertThat(e.getMessage(), containsString("checksum"));
  }

  @Test
  void missingDataFileFallsBackToThePreviousOne() throws IOException {
    commitBatches(1, 2);
    Files.delete(dir.resolve("data/00000000000000000002-s1-p0.state"));

    assertThat(store.latest().orElseThrow().batchId(), is(1L));
  }

  @Test
  void strayTemporaryFilesAreIgnoredByReadersAndRemovedByTheNextWriter() throws IOException {
    commitBatches(1);
    // What a writer killed while checkpointing batch 2 leaves behind.
    Files.write(dir.resolve("manifests/.manifest-00000000000000000002.1234.tmp"), bytes("half a manif"));
    Files.write(dir.resolve("data/.00000000000000000002-s1-p0.state.99.tmp"), bytes("half"));
    Files.write(dir.resolve("data/00000000000000000002-s1-p0.state"), bytes("never committed"));
    Files.write(dir.resolve("._FORMAT.5.tmp"), bytes("x"));

    assertThat(store.latest().orElseThrow().batchId(), is(1L));

    try (CheckpointWriter w = store.openWriter("w2", clock, TIMEOUT)) {
      assertThat(w.lastCommittedBatch(), is(1L));
      assertThat(names("manifests"), containsInAnyOrder("manifest-00000000000000000001"));
      assertThat(names("data"), containsInAnyOrder("00000000000000000001-s1-p0.state"));
      assertThat(names("").contains("._FORMAT.5.tmp"), is(false));
      // The retried batch can write the same names again.
      DataFileRef f = w.writeData(2, "s1-p0.state", bytes("state-2"));
      w.commit(2, 2, Map.of(), List.of(f));
    }
    assertThat(store.latest().orElseThrow().batchId(), is(2L));
  }

  @Test
  void everyManifestCorruptFailsWithAnErrorNamingEach() throws IOException {
    commitBatches(1, 2);
    flipByte(dir.resolve("manifests/manifest-00000000000000000001"), 10);
    Files.delete(dir.resolve("data/00000000000000000002-s1-p0.state"));

    CheckpointException e = assertThrows(CheckpointException.class, store::latest);

    assertThat(e.getMessage(), containsString("none validates"));
    assertThat(e.getMessage(), containsString("manifest-00000000000000000001: checksum mismatch"));
    assertThat(e.getMessage(),
        containsString("manifest-00000000000000000002: data file data/00000000000000000002-s1-p0.state is missing"));
  }

  @Test
  void directoryWrittenByAnotherFormatVersionFailsClearly() throws IOException {
    commitBatches(1);
    // Format 1 is what this runner wrote before keyed state got its compact layout.
    Files.writeString(dir.resolve("_FORMAT"), "microbatch-checkpoint 1\n");

    CheckpointException read = assertThrows(CheckpointException.class, store::latest);
    CheckpointException write =
        assertThrows(CheckpointException.class, () -> store.openWriter("w2", clock, TIMEOUT));

    assertThat(read.getMessage(), containsString("written in format 'microbatch-checkpoint 1'"));
    assertThat(read.getMessage(), containsString("'microbatch-checkpoint 3'"));
    assertThat(write.getMessage(), containsString("written in format 'microbatch-checkpoint 1'"));
  }

  @Test
  void manifestOfAnotherFormatVersionDoesNotValidate() throws IOException {
    commitBatches(1);
    Manifest other = new Manifest(CheckpointLayout.FORMAT_VERSION + 1, 2, 2, 0, Map.of(), List.of());
    Files.write(dir.resolve("manifests/manifest-00000000000000000002"), ManifestCodec.encode(other));

    assertThat(store.latest().orElseThrow().batchId(), is(1L));
  }

  @Test
  void directoryOfSomethingElseIsRefused() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("offsets"), "0");

    CheckpointException e = assertThrows(CheckpointException.class, store::latest);
    assertThat(e.getMessage(), containsString("no _FORMAT marker but holds offsets"));
    assertThrows(CheckpointException.class, () -> store.openWriter("w", clock, TIMEOUT));
  }

  @Test
  void aSecondWriterStopsWhileTheFirstIsLive() throws IOException {
    CheckpointWriter first = store.openWriter("first", clock, TIMEOUT);
    first.commit(1, 1, Map.of(), List.of(first.writeData(1, "a", bytes("1"))));

    clock.advance(TIMEOUT - 1);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> store.openWriter("second", clock, TIMEOUT));
    assertThat(e.getMessage(), containsString("has a live writer: first (epoch 0"));

    // The first keeps committing (each commit renews its lease).
    first.commit(2, 2, Map.of(), List.of(first.writeData(2, "a", bytes("2"))));
    clock.advance(TIMEOUT - 1);
    assertThrows(CheckpointException.class, () -> store.openWriter("second", clock, TIMEOUT));
    // ... and so does renewing without a commit.
    first.renewLease();
    clock.advance(TIMEOUT - 1);
    assertThrows(CheckpointException.class, () -> store.openWriter("second", clock, TIMEOUT));
    clock.advance(1);
    store.openWriter("second", clock, TIMEOUT).close();
    assertThrows(WriterFencedException.class, first::renewLease);
  }

  @Test
  void aWriterThatTookOverFencesTheOldOne() throws IOException {
    CheckpointWriter old = store.openWriter("old", clock, TIMEOUT);
    old.commit(1, 1, Map.of(), List.of(old.writeData(1, "a", bytes("1"))));
    clock.advance(TIMEOUT); // the old writer looks dead (e.g. a long GC pause)

    CheckpointWriter next = store.openWriter("new", clock, TIMEOUT);
    assertThat(next.epoch(), is(1L));

    DataFileRef f = old.writeData(2, "a", bytes("2-old"));
    WriterFencedException e =
        assertThrows(WriterFencedException.class, () -> old.commit(2, 2, Map.of(), List.of(f)));
    assertThat(e.getMessage(), containsString("fenced off by writer new (epoch 1)"));

    next.commit(2, 2, Map.of(), List.of(next.writeData(2, "b", bytes("2-new"))));
    Checkpoint c = store.latest().orElseThrow();
    assertThat(c.batchId(), is(2L));
    assertArrayEquals(bytes("2-new"), c.read(c.files().get(0)));
    next.close();
  }

  @Test
  void aSuccessorKilledRightAfterTakingItsEpochStillFencesTheOldWriter() throws IOException {
    CheckpointWriter old = store.openWriter("old", clock, TIMEOUT);
    old.commit(1, 1, Map.of(), List.of(old.writeData(1, "a", bytes("1"))));
    // The successor published epoch 1 and died before deleting epoch 0's file.
    Files.writeString(dir.resolve("_lease/epoch-00000000000000000001"), "owner=successor\nacquired=1\n");

    DataFileRef f = old.writeData(2, "a", bytes("2"));
    WriterFencedException e =
        assertThrows(WriterFencedException.class, () -> old.commit(2, 2, Map.of(), List.of(f)));
    assertThat(e.getMessage(), containsString("fenced off by writer successor (epoch 1)"));
  }

  @Test
  void aWriterFencedTwiceOverIsFencedThoughTheNextEpochIsGone() throws IOException {
    CheckpointWriter old = store.openWriter("old", clock, TIMEOUT);
    old.commit(1, 1, Map.of(), List.of(old.writeData(1, "a", bytes("1"))));
    clock.advance(TIMEOUT);
    store.openWriter("second", clock, TIMEOUT); // epoch 1, never released
    clock.advance(TIMEOUT);
    CheckpointWriter third = store.openWriter("third", clock, TIMEOUT); // epoch 2 deletes 0 and 1
    assertThat(third.epoch(), is(2L));

    WriterFencedException e = assertThrows(WriterFencedException.class, old::renewLease);
    assertThat(e.getMessage(), containsString("fenced off by writer third (epoch 2)"));
    third.close();
  }

  @Test
  void ofTwoWritersStartingTogetherExactlyOneWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      CheckpointStore racing =
          CheckpointStore.open(tmp.resolve("race-" + round).toUri().toString(), new Configuration());
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<CheckpointWriter>> tries = new ArrayList<>();
        for (String owner : List.of("a", "b")) {
          tries.add(pool.submit(() -> {
            start.await();
            return racing.openWriter(owner, clock, TIMEOUT);
          }));
        }
        int won = 0;
        for (java.util.concurrent.Future<CheckpointWriter> t : tries) {
          try {
            t.get().commit(1, 1, Map.of(), List.of());
            won++;
          } catch (java.util.concurrent.ExecutionException e) {
            // The loser learns it is not the writer from a clear CheckpointException, nothing else.
            assertThat(e.getCause().toString(), e.getCause() instanceof CheckpointException, is(true));
          }
        }
        assertThat(won, is(1));
        assertThat(racing.latest().orElseThrow().batchId(), is(1L));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClosedWriterCanBeFollowedAtOnce() throws IOException {
    store.openWriter("first", clock, TIMEOUT).close();
    try (CheckpointWriter second = store.openWriter("second", clock, TIMEOUT)) {
      assertThat(second.epoch(), is(1L));
    }
  }

  @Test
  void publishingNeverOverwritesAnExistingManifest() throws IOException {
    commitBatches(1);
    try (CheckpointWriter w = store.openWriter("w2", clock, TIMEOUT)) {
      // A manifest for batch 2 appears under the writer's feet (e.g. a fenced writer's last one).
      byte[] theirs = ManifestCodec.encode(new Manifest(1, 2, 2, 0, Map.of(), List.of()));
      Files.write(dir.resolve("manifests/manifest-00000000000000000002"), theirs);
      DataFileRef f = w.writeData(2, "a", bytes("mine"));

      CheckpointException e =
          assertThrows(CheckpointException.class, () -> w.commit(2, 2, Map.of(), List.of(f)));

      assertThat(e.getMessage(), containsString("already exists"));
      assertArrayEquals(theirs, Files.readAllBytes(dir.resolve("manifests/manifest-00000000000000000002")));
    }
  }

  @Test
  void retentionKeepsTheNewestThreeAndDeletesOnlyUnreferencedData() throws IOException {
    commitBatches(1, 2, 3, 4, 5);

    assertThat(names("manifests"), containsInAnyOrder(
        "manifest-00000000000000000003", "manifest-00000000000000000004", "manifest-00000000000000000005"));
    assertThat(names("data"), containsInAnyOrder(
        "00000000000000000003-s1-p0.state", "00000000000000000004-s1-p0.state", "00000000000000000005-s1-p0.state"));
    // The retained older checkpoints stay restorable.
    Files.delete(dir.resolve("manifests/manifest-00000000000000000005"));
    Files.delete(dir.resolve("manifests/manifest-00000000000000000004"));
    assertThat(store.latest().orElseThrow().batchId(), is(3L));
  }

  @Test
  void noDataIsDeletedWhileARetainedManifestIsUnreadable() throws IOException {
    commitBatches(1, 2);
    flipByte(dir.resolve("manifests/manifest-00000000000000000001"), 10);
    try (CheckpointWriter w = store.openWriter("w2", clock, TIMEOUT)) {
      w.commit(3, 3, Map.of(), List.of(w.writeData(3, "s1-p0.state", bytes("state-3"))));
      // Manifest 1 is retained but unreadable: what it needs cannot be known, so all data stays.
      assertThat(names("data").contains("00000000000000000001-s1-p0.state"), is(true));

      w.commit(4, 4, Map.of(), List.of(w.writeData(4, "s1-p0.state", bytes("state-4"))));
      assertThat(names("manifests"), containsInAnyOrder(
          "manifest-00000000000000000002", "manifest-00000000000000000003", "manifest-00000000000000000004"));
      assertThat(names("data"), containsInAnyOrder(
          "00000000000000000002-s1-p0.state", "00000000000000000003-s1-p0.state", "00000000000000000004-s1-p0.state"));
    }
  }

  @Test
  void incrementalCheckpointKeepsAnOlderDataFileAliveAfterItsManifestIsDeleted() throws IOException {
    try (CheckpointWriter w = store.openWriter("w", clock, TIMEOUT)) {
      DataFileRef base = w.writeData(1, "s1-p0.base", bytes("full state"));
      DataFileRef delta1 = w.writeData(1, "s1-p0.delta", bytes("d1"));
      w.commit(1, 1, Map.of(), List.of(base, delta1));
      for (long b = 2; b <= 5; b++) {
        DataFileRef delta = w.writeData(b, "s1-p0.delta", bytes("d" + b));
        w.commit(b, b, Map.of(), List.of(base, delta));
      }
    }

    assertThat(names("manifests"), containsInAnyOrder(
        "manifest-00000000000000000003", "manifest-00000000000000000004", "manifest-00000000000000000005"));
    assertThat(names("data"), containsInAnyOrder("00000000000000000001-s1-p0.base",
        "00000000000000000003-s1-p0.delta", "00000000000000000004-s1-p0.delta", "00000000000000000005-s1-p0.delta"));
    Checkpoint c = store.latest().orElseThrow();
    assertThat(c.batchId(), is(5L));
    assertArrayEquals(bytes("full state"), c.read(c.files().get(0)));
    assertArrayEquals(bytes("d5"), c.read(c.files().get(1)));
  }

  @Test
  void dataFilesNoCommitTookAreDeletedByTheNextCommit() throws IOException {
    try (CheckpointWriter w = store.openWriter("w", clock, TIMEOUT)) {
      w.commit(1, 1, Map.of(), List.of(w.writeData(1, "s1-p0.state", bytes("state-1"))));
      w.commit(2, 2, Map.of(), List.of(w.writeData(2, "s1-p0.state", bytes("state-2"))));
      // A checkpoint of batch 3 written but never committed (its commit failed), then batch 4's.
      w.writeData(3, "s1-p0.state", bytes("state-3"));
      DataFileRef next = w.writeData(4, "s1-p0.delta", bytes("state-4"));
      w.commit(4, 4, Map.of(), List.of(next));

      assertThat(names("data"), containsInAnyOrder(
          "00000000000000000001-s1-p0.state", "00000000000000000002-s1-p0.state", "00000000000000000004-s1-p0.delta"));
      w.commit(5, 5, Map.of(), List.of(next));
      assertThat(names("data"), containsInAnyOrder("00000000000000000002-s1-p0.state", "00000000000000000004-s1-p0.delta"));
    }
  }

  @Test
  void commitRefusesAMissingDataFileAndOldBatches() throws IOException {
    commitBatches(1);
    try (CheckpointWriter w = store.openWriter("w2", clock, TIMEOUT)) {
      DataFileRef ghost = new DataFileRef("data/00000000000000000002-ghost", 3, 0);
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> w.commit(2, 2, Map.of(), List.of(ghost)));
      assertThat(e.getMessage(), containsString("does not exist"));
      assertThrows(IllegalArgumentException.class, () -> w.commit(1, 1, Map.of(), List.of()));
      assertThrows(IllegalArgumentException.class, () -> w.writeData(2, "../escape", bytes("x")));
    }
    assertThat(store.latest().orElseThrow().batchId(), is(1L));
  }

  @Test
  void aDirectoryNamedLikeAManifestIsNotOne() throws IOException {
    commitBatches(1);
    Files.createDirectories(dir.resolve("manifests/manifest-00000000000000000009"));

    assertThat(store.latest().orElseThrow().batchId(), is(1L));
    try (CheckpointWriter w = store.openWriter("w2", clock, TIMEOUT)) {
      assertThat(w.lastCommittedBatch(), is(1L));
    }
  }

  @Test
  void manifestCodecRoundTripsAndRejectsTrailingBytes() throws IOException {
    Manifest m = new Manifest(CheckpointLayout.FORMAT_VERSION, 42, 99, 3, Map.of("k", "v\u00e9"),
        List.of(new DataFileRef("data/00000000000000000042-x", 5, 0xCAFEBABE)));
    assertThat(ManifestCodec.decode(ManifestCodec.encode(m)), is(m));

    byte[] longer = java.util.Arrays.copyOf(ManifestCodec.encode(m), ManifestCodec.encode(m).length + 1);
    assertThrows(IOException.class, () -> ManifestCodec.decode(longer));
    assertThrows(IOException.class, () -> ManifestCodec.decode(new byte[0]));
  }

  // One writer, batches committed in order, each with one file "state-<batch>".
  private void commitBatches(long... batches) throws IOException {
    try (CheckpointWriter w = store.openWriter("writer", clock, TIMEOUT)) {
      for (long b : batches) {
        DataFileRef f = w.writeData(b, "s1-p0.state", bytes("state-" + b));
        w.commit(b, b * 1000, Map.of("batch", Long.toString(b)), List.of(f));
      }
    }
  }

  private List<String> names(String sub) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(sub.isEmpty() ? dir : dir.resolve(sub))) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    }
    return out;
  }

  private static void flipByte(Path file, int at) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[at] ^= 0x40;
    Files.write(file, b);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
