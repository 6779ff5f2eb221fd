package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import dev.microbatch.engine.StreamingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.mapreduce.lib.input.KeyValueTextInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
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
    // A gzip file cut short (as one still being copied in): reading it fails, for any user.
    byte[] whole = gzip("secret\n".repeat(200));
    Path file = dir.resolve("data.gz");
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    try (StreamingHarness h = new StreamingHarness(1)) {
      Map<Long, List<String>> lines = h.collect(h.ssc().textFileStream(dir.toString()));
      h.start();
      h.runBatches(3);
      Files.write(file, whole);
      // Changed since the last listing: settles for one more batch, then is read whole.
      h.runBatches(2);
      for (long batch = 1; batch <= 4; batch++) {
        assertThat("batch " + batch, lines.get(batch), empty());
      }
      assertThat(lines.get(5L).size(), org.hamcrest.Matchers.equalTo(200));
    }
  }

  private static byte[] gzip(String text) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
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

  @Test
  void fileStreamReadsWithAnInputFormatAndConvertsEachRecord(@TempDir Path dir) throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      Map<Long, List<String>> pairs =
          h.collect(
              h.ssc().fileStream(dir.toString(), KeyValueTextInputFormat.class, (key, value) -> key + "=" + value));
      Files.writeString(dir.resolve("kv.txt"), "a\t1\nb\t2\n");
      h.start();
      h.runBatches(2);
      assertThat(pairs.get(2L), containsInAnyOrder("a=1", "b=2"));
    }
  }

  @Test
  void aFailingConversionFailsTheBatchWithItsException(@TempDir Path dir) throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      h.ssc()
          .fileStream(
              dir.toString(),
              TextInputFormat.class,
              (offset, line) -> {
                throw new java.io.IOException("bad line " + line);
              })
          .print();
      Files.writeString(dir.resolve("x.txt"), "oops\n");
      h.start();
      h.clock().advance(StreamingHarness.INTERVAL);
      h.clock().advance(StreamingHarness.INTERVAL);
      StreamingFailedException e =
          org.junit.jupiter.api.Assertions.assertThrows(StreamingFailedException.class, h.ssc()::awaitTermination);
      Throwable cause = e.getCause();
      while (!(cause instanceof java.io.IOException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause.getMessage(), org.hamcrest.Matchers.equalTo("bad line oops"));
    }
  }
}
