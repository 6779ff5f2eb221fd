package dev.microbatch.examples.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming examples, each run as its own program (a child JVM) for a few batches. */
class StreamingExamplesTest {

  /** Runs {@code main} with {@code args} for {@code batches} batches; returns what it printed. */
  private static String run(Class<?> main, int batches, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dexamples.batches=" + batches);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("The example did not end:\n" + output.getNow(""));
    }
    String printed = output.get(10, TimeUnit.SECONDS);
    assertThat(printed, process.exitValue(), equalTo(0));
    return printed;
  }

  /** Serves {@code text} to the first client, then keeps the connection open until the test ends. */
  private static ServerSocket serve(String text) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread serving =
        new Thread(
            () -> {
              try (Socket client = server.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                client.getInputStream().read();
              } catch (IOException ignored) {
                // The example ended and closed the connection.
              }
            });
    serving.setDaemon(true);
    serving.start();
    return server;
  }

  @Test
  void networkWordCountCountsTheWordsOfABatch() throws Exception {
    try (ServerSocket server = serve("to be or not to be\n")) {
      String printed = run(NetworkWordCount.class, 3, "127.0.0.1", String.valueOf(server.getLocalPort()));
      assertThat(printed, containsString("(to,2)"));
      assertThat(printed, containsString("(be,2)"));
      assertThat(printed, containsString("(not,1)"));
    }
  }

  @Test
  void streamTableJoinEnrichesClicksWithTheTable() throws Exception {
    try (ServerSocket server = serve("alice /home\nmallory /admin\n")) {
      String printed = run(StreamTableJoin.class, 3, "127.0.0.1", String.valueOf(server.getLocalPort()));
      assertThat(printed, containsString("(alice,/home from NL)"));
      assertThat(printed, containsString("(mallory,/admin from unknown)"));
    }
  }

  @Test
  void hdfsWordCountCountsTheFilesOfADirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("one.txt"), "x y x\n");
    String printed = run(HdfsWordCount.class, 3, dir.toString());
    assertThat(printed, containsString("(x,2)"));
    assertThat(printed, containsString("(y,1)"));
  }

  @Test
  void recoverableNetworkWordCountKeepsCountingAfterARestart(@TempDir Path dir) throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    Path output = dir.resolve("counts.txt");
    try (ServerSocket server = serve("a b a\n")) {
      run(RecoverableNetworkWordCount.class, 3, "127.0.0.1", String.valueOf(server.getLocalPort()), checkpoint, output.toString());
    }
    try (ServerSocket server = serve("a\n")) {
      // The batch ids go on from the checkpoint: run up to batch 6.
      run(RecoverableNetworkWordCount.class, 6, "127.0.0.1", String.valueOf(server.getLocalPort()), checkpoint, output.toString());
    }
    List<String> lines = Files.readAllLines(output);
    assertThat(lines.get(lines.size() - 1), containsString("(a,3)"));
  }
}
