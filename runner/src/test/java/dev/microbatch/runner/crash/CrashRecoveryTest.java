package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a checkpointing pipeline ({@link CrashRecoveryPipeline}) in a child JVM with SIGKILL, at
 * random moments and at each failpoint of the checkpoint protocol, restarts it on the same
 * checkpoint directory each time, and lets the last start run to the end. Every window's count and
 * every key's final count and sum must then be exactly those of an uninterrupted run, and no result
 * may appear with two different values: nothing lost, nothing counted twice in state. With the
 * checkpoints on the local disk and on a real HDFS ({@link LoopbackMiniDfs}).
 *
 * <p>{@code -Dcrash.kills=<n>} sets the random kills per file system (20 by default; README's soak
 * command runs 100).
 */
class CrashRecoveryTest {
  private static final int KILLS = Integer.getInteger("crash.kills", 20);
  // Enough input that the pipeline is still running when the last random kill lands.
  private static final long RECORDS = Math.max(12_000, 600L * KILLS);
  // Checkpoints are fewer than batches (one is written at a time), fewer still on HDFS.
  private static final List<String> LOCAL_FAILPOINTS =
      List.of("after-commit:3", "before-manifest:2", "after-manifest:4", "after-commit:40", "before-manifest:8");
  private static final List<String> HDFS_FAILPOINTS =
      List.of("after-commit:3", "before-manifest:1", "after-manifest:1", "after-commit:40", "before-manifest:2");

  @TempDir Path temp;

  @Test
  void killedOnLocalDiskEndsAsIfUninterrupted() throws Exception {
    runKilledAndCompare(temp.resolve("checkpoints").toUri().toString(), LOCAL_FAILPOINTS, new Random(11));
  }

  @Test
  void killedWithCheckpointsOnHdfsEndsAsIfUninterrupted() throws Exception {
    try (LoopbackMiniDfs hdfs = new LoopbackMiniDfs(temp.resolve("minidfs"))) {
      runKilledAndCompare(hdfs.uri("/crash-test/checkpoints"), HDFS_FAILPOINTS, new Random(23));
    }
  }

  private void runKilledAndCompare(String checkpoints, List<String> failpoints, Random random)
      throws Exception {
    Path killedOutput = Files.createDirectories(temp.resolve("killed-output"));
    int kills = 0;
    for (String failpoint : failpoints) {
      ChildJvm child = startChild(killedOutput, checkpoints, "--checkpointFailpoint=" + failpoint);
      assertTrue(
          child.awaitLine("FAILPOINT", 120),
          "the child never reached failpoint " + failpoint + ":\n" + child.output());
      child.kill();
      kills++;
    }
    for (int i = 0; i < KILLS; i++) {
      ChildJvm child = startChild(killedOutput, checkpoints);
      assertTrue(child.awaitLine("RUNNING", 60), "the child did not start:\n" + child.output());
      // Anywhere from during the restore to well into the run.
      Thread.sleep(200 + random.nextInt(1800));
      if (child.kill()) {
        kills++;
      }
    }
    ChildJvm last = startChild(killedOutput, checkpoints);
    assertTrue(last.awaitExit(300), "the last start did not finish:\n" + last.output());
    assertThat("the last start's exit status\n" + last.output(), last.exitValue(), equalTo(0));

    Results killed = Results.read(killedOutput);
    assertThat("results with two different values", killed.conflicts(), empty());
    assertThat(killed.values(), equalTo(expected()));
    assertTrue(kills >= KILLS, "only " + kills + " kills landed");

    Path cleanOutput = Files.createDirectories(temp.resolve("clean-output-" + random.nextInt()));
    ChildJvm clean = startChild(cleanOutput, temp.resolve("clean-checkpoints-" + random.nextInt()).toUri().toString());
    assertTrue(clean.awaitExit(300), "the uninterrupted run did not finish:\n" + clean.output());
    assertThat(Results.read(cleanOutput).values(), equalTo(killed.values()));
  }

  /** What an uninterrupted run writes: each (window, key) count, each key's final count and sum. */
  private static Map<String, String> expected() {
    Map<String, String> values = new TreeMap<>();
    Map<Long, long[]> totals = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    for (long i = 0; i < RECORDS; i++) {
      long key = i % CrashRecoveryPipeline.KEYS;
      long window =
          i * CrashRecoveryPipeline.MILLIS_PER_RECORD
              / CrashRecoveryPipeline.WINDOW_MILLIS
              * CrashRecoveryPipeline.WINDOW_MILLIS;
      counts.merge("count," + window + "," + key, 1L, Long::sum);
      long[] total = totals.computeIfAbsent(key, k -> new long[2]);
      total[0]++;
      total[1] += i;
    }
    counts.forEach((id, count) -> values.put(id, Long.toString(count)));
    totals.forEach((key, total) -> values.put("total," + key, total[0] + "," + total[1]));
    return values;
  }

  /** Result lines by id (kind, window, key), each id's distinct values. */
  private record Results(Map<String, Set<String>> byId) {
    static Results read(Path directory) throws IOException {
      Map<String, Set<String>> byId = new TreeMap<>();
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
          for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(",");
            String id = fields[0].equals("count") ? fields[0] + "," + fields[1] + "," + fields[2] : fields[0] + "," + fields[1];
            String value = fields[0].equals("count") ? fields[3] : fields[2] + "," + fields[3];
            byId.computeIfAbsent(id, k -> new TreeSet<>()).add(value);
          }
        }
      }
      return new Results(byId);
    }

    List<String> conflicts() {
      List<String> conflicts = new ArrayList<>();
      byId.forEach((id, values) -> {
        if (values.size() > 1) {
          conflicts.add(id + " -> " + values);
        }
      });
      return conflicts;
    }

    Map<String, String> values() {
      Map<String, String> values = new TreeMap<>();
      byId.forEach((id, set) -> values.put(id, set.iterator().next()));
      return values;
    }
  }

  /** A child JVM running {@link CrashRecoveryPipeline} with checkpoints in {@code checkpoints}. */
  private static ChildJvm startChild(Path output, String checkpoints, String... extra)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add(output.toString());
    args.add(Long.toString(RECORDS));
    args.add("--runner=MicroBatchRunner");
    args.add("--parallelism=2");
    args.add("--batchIntervalMillis=50");
    // Small batches: the run takes hundreds of batches and checkpoints, so kills land mid-run.
    args.add("--maxRecordsPerBatch=20");
    args.add("--checkpointDir=" + checkpoints);
    args.addAll(List.of(extra));
    return ChildJvm.start(CrashRecoveryPipeline.class, args);
  }
}
