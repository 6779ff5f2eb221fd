package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a JVM of its own and measures it from outside: wall time, exit code, its
 * output, and its peak resident set size (Linux's VmHWM, read while it runs: once it exits, its
 * /proc entry is gone).
 */
final class ChildJvm {
  private static final long POLL_MILLIS = 100;

  private ChildJvm() {}

  /** What a child run gave. {@code peakRssBytes} is -1 where /proc could not be read. */
  record Outcome(int exitCode, boolean timedOut, long millis, long peakRssBytes, String output) {}

  static Outcome run(List<String> jvmArgs, String classpath, String mainClass, List<String> args, long timeoutMillis)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    Path output = Files.createTempFile("child-jvm-", ".log");
    try {
      long started = System.nanoTime();
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      long peak = -1;
      long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      boolean timedOut = false;
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, highWaterMark(status));
        if (System.nanoTime() > deadline) {
          process.destroyForcibly().waitFor();
          timedOut = true;
          break;
        }
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      return new Outcome(
          process.exitValue(), timedOut, millis, peak, Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** VmHWM of a running process in bytes, -1 if it cannot be read (the process just ended). */
  private static long highWaterMark(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The process ended between the poll and the read.
    }
    return -1;
  }
}
