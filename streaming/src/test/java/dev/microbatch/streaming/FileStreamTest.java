package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** textFileStream: each new file once, settled files only, unreadable ones retried, restarts. */
class FileStreamTest {

  @Test
  void eachNewFileIsReadOnceItHasSettled(@TempDir Path dir) throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      Map<Long, List<String>> lines = h.collect(h.ssc().textFileStream(dir.toString()));
      h.start();
      Files.writeString(dir.resolve("a.txt"), "1\n2\n");
      Files.writeString(dir.resolve(".hidden"), "never\n");
      Files.writeString(dir.resolve("_SUCCESS"), "never\n");
      // Seen once at batch 1; unchanged at batch 2, so read there.
      h.runBatches(2);
      Files.writeString(dir.resolve("b.txt"), "3\n");
      h.runBatches(1);
      Files.writeString(dir.resolve("b.txt"), "3\n4\n");
      // b.txt changed between listings: not yet; then settled and read whole.
      h.runBatches(2);
      h.runBatches(1);
      assertThat(lines.get(1L), empty());
      assertThat(lines.get(2L), containsInAnyOrder("1", "2"));
      assertThat(lines.get(3L), empty());
      assertThat(lines.get(4L), empty());
      assertThat(lines.get(5L), containsInAnyOrder("3", "4"));
      assertThat(lines.get(6L), empty());
    }
  }

  @Test
  void anUnreadableFileIsRetriedNotSkipped(@TempDir Path dir) throws Exception {
    Path locked = dir.resolve("locked.txt");
    Files.writeString(locked, "secret\n");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "runs as a user who reads any file");
    try (StreamingHarness h = new StreamingHarness(1)) {
      Map<Long, List<String>> lines = h.collect(h.ssc().textFileStream(dir.toString()));
      h.start();
      h.runBatches(3);
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
      h.runBatches(1);
      assertThat(lines.get(3L), empty());
      assertThat(lines.get(4L), containsInAnyOrder("secret"));
    }
  }

  @Test
  void aRestartDoesNotReadAFileAgain(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectory(dir.resolve("in"));
    String checkpoint = dir.resolve("checkpoint").toString();
    Files.writeString(input.resolve("a.txt"), "1\n");
    try (StreamingHarness first = new StreamingHarness(2)) {
      Map<Long, List<String>> lines = first.collect(first.ssc().textFileStream(input.toString()));
      first.ssc().checkpoint(checkpoint);
      first.start();
      first.runBatches(2);
      assertThat(lines.get(2L), containsInAnyOrder("1"));
    }
    Files.writeString(input.resolve("b.txt"), "2\n");
    try (StreamingHarness second = new StreamingHarness(2, 2_000)) {
      Map<Long, List<String>> lines = second.collect(second.ssc().textFileStream(input.toString()));
      second.ssc().checkpoint(checkpoint);
      second.start();
      second.runBatches(3);
      assertThat(lines.get(3L), empty());
      assertThat(lines.get(4L), containsInAnyOrder("2"));
      assertThat(lines.get(5L), empty());
    }
  }
}
