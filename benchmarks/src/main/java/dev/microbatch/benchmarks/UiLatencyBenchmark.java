package dev.microbatch.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the UI costs the latency benchmark: MicroBatchRunner at 50,000 events/s with 100 ms
 * batches, with the UI off and on (A B pairs, {@code -Dbenchmark.rounds}, 3 by default). With the
 * UI on, a client polls the page's requests once a second as an open page does (statistics,
 * timeline, the batch tables and /metrics), so serving is measured too. Prints each run and the
 * p99 of on against off, pair by pair and median.
 */
final class UiLatencyBenchmark {
  private static final long RATE = 50_000;
  private static final long SECONDS = 30;
  private static final int PORT = 4047;

  private UiLatencyBenchmark() {}

  static String run(Path work) throws Exception {
    int rounds = Integer.getInteger("benchmark.rounds", 3);
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      LatencyBenchmark.Result off =
          LatencyBenchmark.run("ui-off#" + round, "MicroBatchRunner", RATE, SECONDS, 100, work, List.of("--ui=false"));
      System.out.println(off);
      AtomicBoolean polling = new AtomicBoolean(true);
      AtomicLong requests = new AtomicLong();
      Thread poller = new Thread(() -> poll(polling, requests), "ui-poller");
      poller.setDaemon(true);
      poller.start();
      LatencyBenchmark.Result on;
      try {
        on =
            LatencyBenchmark.run(
                "ui-on#" + round, "MicroBatchRunner", RATE, SECONDS, 100, work,
                List.of("--ui=true", "--uiPort=" + PORT));
      } finally {
        polling.set(false);
        poller.join();
      }
      System.out.println(on + " | " + requests.get() + " UI requests answered");
      ratios.add((double) on.p99() / Math.max(1, off.p99()));
    }
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(null);
    double median = sorted.get((sorted.size() - 1) / 2);
    return String.format(
        "SUMMARY latency-ui %,d ev/s: p99 with/without the UI, round by round %s, median %.2f (goal: within 10%%)",
        RATE, ratios.stream().map(r -> String.format("%.2f", r)).toList(), median);
  }

  /** Requests what an open page requests, once a second, while {@code polling}. */
  private static void poll(AtomicBoolean polling, AtomicLong answered) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    List<String> paths = List.of(
        "streaming/statistics", "streaming/timeline", "streaming/batches?status=QUEUED",
        "streaming/batches?status=PROCESSING", "streaming/batches?status=COMPLETED&offset=0&length=20");
    while (polling.get()) {
      try {
        String id = appId(http);
        if (id != null) {
          for (String path : paths) {
            send(http, "http://127.0.0.1:" + PORT + "/api/v1/applications/" + id + "/" + path, answered);
          }
        }
        send(http, "http://127.0.0.1:" + PORT + "/metrics", answered);
      } catch (Exception e) {
        // Not up yet, or already stopped.
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String appId(HttpClient http) throws Exception {
    HttpResponse<String> apps =
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/v1/applications")).build(),
            HttpResponse.BodyHandlers.ofString());
    int at = apps.body().indexOf("\"id\" : \"");
    if (apps.statusCode() != 200 || at < 0) {
      return null;
    }
    int from = at + "\"id\" : \"".length();
    return apps.body().substring(from, apps.body().indexOf('"', from));
  }

  private static void send(HttpClient http, String url, AtomicLong answered) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      answered.incrementAndGet();
    }
  }
}
