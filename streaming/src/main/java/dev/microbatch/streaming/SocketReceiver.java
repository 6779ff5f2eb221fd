package dev.microbatch.streaming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives UTF-8 lines from a TCP server ({@code socketTextStream}). Lines that arrive together
 * are stored as one block; a server that is not there, or closes the connection, gets the
 * receiver restarted (reconnecting after a growing delay), as Spark's socket receiver does.
 */
final class SocketReceiver extends Receiver<String> {
  private static final int MAX_BLOCK_LINES = 1_000;

  private final String host;
  private final int port;
  private volatile Socket socket;
  private volatile Thread thread;

  SocketReceiver(String host, int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("socketTextStream needs a port in 1..65535, got " + port + ".");
    }
    this.host = host;
    this.port = port;
  }

  @Override
  public void onStart() {
    Thread receiving = new Thread(this::receive, "socket-receiver-" + host + ":" + port);
    receiving.setDaemon(true);
    thread = receiving;
    receiving.start();
  }

  @Override
  public void onStop() {
    Socket current = socket;
    if (current != null) {
      try {
        current.close();
      } catch (IOException ignored) {
        // Closing only unblocks the reading thread.
      }
    }
    Thread current2 = thread;
    if (current2 != null && current2 != Thread.currentThread()) {
      try {
        current2.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void receive() {
    Socket connected = new Socket();
    socket = connected;
    try {
      connected.connect(new InetSocketAddress(host, port), 10_000);
    } catch (IOException e) {
      if (!isStopped()) {
        restart("Cannot connect to " + host + ":" + port + " (" + e.getMessage() + ")", e);
      }
      return;
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(connected.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> block = new ArrayList<>();
      String line;
      while (!isStopped() && (line = reader.readLine()) != null) {
        block.add(line);
        // Lines that arrived together form one block: one durable write for all of them.
        if (!reader.ready() || block.size() >= MAX_BLOCK_LINES) {
          store(block);
          block = new ArrayList<>();
        }
      }
      if (!block.isEmpty()) {
        store(block);
      }
      if (!isStopped()) {
        restart("The server at " + host + ":" + port + " closed the connection");
      }
    } catch (IOException | RuntimeException e) {
      if (!isStopped()) {
        restart("Receiving from " + host + ":" + port + " failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "SocketReceiver(" + host + ":" + port + ")";
  }
}
