package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpaths the Nexmark benchmark runs each runner on, resolved by Maven from the two small
 * poms under {@code benchmarks/nexmark/}, which are not modules of the build: FlinkRunner 2.62.0
 * (with Beam 2.62.0) never comes near MicroBatchRunner's classpath (Beam 2.73.0).
 */
final class NexmarkClasspaths {
  private NexmarkClasspaths() {}

  /** MicroBatchRunner and DirectRunner: Beam 2.73.0 with Nexmark 2.60.0. */
  static String microBatch(Path benchmarks) throws IOException, InterruptedException {
    return resolve(benchmarks.resolve("nexmark/microbatch/pom.xml"));
  }

  /** FlinkRunner 2.62.0 (Flink 1.19) with Nexmark 2.60.0. */
  static String flink(Path benchmarks) throws IOException, InterruptedException {
    return resolve(benchmarks.resolve("nexmark/flink/pom.xml"));
  }

  /** {@code NexmarkFloor}, compiled here, with Nexmark 2.60.0 on Beam 2.73.0. */
  static String floor(Path benchmarks) throws IOException, InterruptedException {
    Path pom = benchmarks.resolve("nexmark/floor/pom.xml");
    return pom.getParent().resolve("target/classes").toAbsolutePath() + ":" + resolve(pom, "compile");
  }

  private static String resolve(Path pom, String... goalsFirst) throws IOException, InterruptedException {
    Path out = pom.getParent().resolve("target/classpath.txt").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-f", pom.toAbsolutePath().toString()));
    command.addAll(List.of(goalsFirst));
    command.addAll(List.of("dependency:build-classpath", "-Dmdep.outputFile=" + out));
    Process mvn =
        new ProcessBuilder(command)
            .inheritIO()
            .start();
    if (mvn.waitFor() != 0 || !Files.exists(out)) {
      throw new IOException(
          "Could not resolve the classpath of " + pom + " (mvn exit " + mvn.exitValue()
              + "); for MicroBatchRunner's, run `mvn install -DskipTests` at the root first.");
    }
    return Files.readString(out).trim();
  }
}
