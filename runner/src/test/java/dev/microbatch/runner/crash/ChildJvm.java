package dev.microbatch.runner.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test's main class on this test's class path, its standard output (and
 * error) collected line by line, so a test can wait for a line and kill the child with SIGKILL.
 */
final class ChildJvm {
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final List<CountDownLatchLine> waiting = new CopyOnWriteArrayList<>();

  private record CountDownLatchLine(String prefix, CountDownLatch latch) {}

  private ChildJvm(Process process) {
    this.process = process;
    CompletableFuture.runAsync(this::pump);
  }

  static ChildJvm start(Class<?> main, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    return new ChildJvm(builder.start());
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        for (CountDownLatchLine wait : waiting) {
          if (line.startsWith(wait.prefix())) {
            wait.latch().countDown();
          }
        }
      }
    } catch (IOException e) {
      output.append("(output closed: ").append(e).append(")\n");
    }
  }

  boolean awaitLine(String prefix, int seconds) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    waiting.add(new CountDownLatchLine(prefix, latch));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (lines().stream().anyMatch(line -> line.startsWith(prefix))
          || latch.await(200, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!process.isAlive()) {
        // Ended without the line: let the reader drain what is left, then look once more.
        Thread.sleep(200);
        return lines().stream().anyMatch(line -> line.startsWith(prefix));
      }
    }
    return false;
  }

  /** Every line the child printed so far. */
  List<String> lines() {
    return output.toString().lines().toList();
  }

  /** SIGKILL (destroyForcibly on Linux); true when the child was still running. */
  boolean kill() throws InterruptedException {
    boolean alive = process.isAlive();
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    return alive;
  }

  boolean awaitExit(int seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Everything the child printed. */
  String fullOutput() {
    return output.toString();
  }

  /** The last 20,000 characters the child printed (for assertion messages). */
  String output() {
    String all = output.toString();
    return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
  }
}
