package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** socketTextStream against a real server on loopback: batches, reconnects, the write-ahead log. */
class SocketStreamTest {

  /** Waits (on the wall clock: a real socket is involved) until {@code condition} holds. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static void send(Socket client, String text) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void linesFromTheServerFormTheNextBatch() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        StreamingHarness h = new StreamingHarness(2)) {
      Map<Long, List<String>> lines = h.collect(h.ssc().socketTextStream("127.0.0.1", server.getLocalPort()));
      h.start();
      try (Socket client = server.accept()) {
        send(client, "a b\nc\n");
        await("two lines", () -> h.ssc().receivedRecords() == 2);
        h.runBatches(1);
        send(client, "d\n");
        await("three lines", () -> h.ssc().receivedRecords() == 3);
        h.runBatches(2);
      }
      assertThat(lines.get(1L), containsInAnyOrder("a b", "c"));
      assertThat(lines.get(2L), contains("d"));
      assertThat(lines.get(3L), empty());
    }
  }

  @Test
  void aDroppedConnectionIsMadeAgainAndReceivingGoesOn() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        StreamingHarness h = new StreamingHarness(1)) {
      Map<Long, List<String>> lines = h.collect(h.ssc().socketTextStream("127.0.0.1", server.getLocalPort()));
      h.start();
      try (Socket first = server.accept()) {
        send(first, "before\n");
        await("the first line", () -> h.ssc().receivedRecords() == 1);
      }
      // The receiver waits its restart delay on the context's clock: the batches move it on.
      List<Socket> second = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  second.add(server.accept());
                } catch (IOException ignored) {
                  // The test fails on its own timeout.
                }
              });
      acceptor.start();
      while (acceptor.isAlive()) {
        h.runBatches(1);
        acceptor.join(20);
      }
      try (Socket client = second.get(0)) {
        send(client, "after\n");
        await("the second line", () -> h.ssc().receivedRecords() == 2);
        h.runBatches(1);
      }
      List<String> all = new ArrayList<>();
      lines.values().forEach(all::addAll);
      assertThat(all, containsInAnyOrder("before", "after"));
    }
  }

  @Test
  void linesReceivedButNotYetInABatchComeBackFromTheLog(@TempDir Path dir) throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        StreamingHarness first = new StreamingHarness(2)) {
      port = server.getLocalPort();
      Map<Long, List<String>> lines = first.collect(first.ssc().socketTextStream("127.0.0.1", port));
      first.ssc().checkpoint(checkpoint);
      first.start();
      try (Socket client = server.accept()) {
        send(client, "one\ntwo\n");
        await("two lines", () -> first.ssc().receivedRecords() == 2);
        first.runBatches(1);
        send(client, "three\nfour\n");
        await("four lines", () -> first.ssc().receivedRecords() == 4);
        // Stopped before a batch took three and four: only the log has them now.
      }
      assertThat(lines.get(1L), containsInAnyOrder("one", "two"));
    }
    try (StreamingHarness second = new StreamingHarness(2, 1_000)) {
      // Nobody listens on the port any more: the receiver keeps trying, the log is read at once.
      Map<Long, List<String>> lines = second.collect(second.ssc().socketTextStream("127.0.0.1", port));
      second.ssc().checkpoint(checkpoint);
      second.start();
      second.runBatches(2);
      assertThat(lines.get(2L), containsInAnyOrder("three", "four"));
      assertThat(lines.get(3L), empty());
    }
  }
}
