package dev.microbatch.streaming.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link CrashChild} in a JVM of its own, its output kept, killed with SIGKILL on demand. */
final class ChildProcess {
  private final Process process;
  private final StringBuffer output = new StringBuffer();

  private ChildProcess(Process process) {
    this.process = process;
    Thread pump = new Thread(this::pump, "child-output");
    pump.setDaemon(true);
    pump.start();
  }

  static ChildProcess start(List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashChild.class.getName());
    command.addAll(args);
    return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      output.append("(output closed: ").append(e).append(")\n");
    }
  }

  /** Waits until a line contains {@code text}; false if the child ended or time ran out first. */
  boolean awaitOutput(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (output.indexOf(text) >= 0) {
        return true;
      }
      if (!process.isAlive()) {
        Thread.sleep(200);
        return output.indexOf(text) >= 0;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** SIGKILL: destroyForcibly on Linux. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** Waits for the child to end by itself; its exit code, or -1 if it had not ended in time. */
  int awaitExit(int seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  String output() {
    String all = output.toString();
    return all.length() > 10_000 ? all.substring(all.length() - 10_000) : all;
  }
}
