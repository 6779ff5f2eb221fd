package dev.microbatch.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.microbatch.engine.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a pipeline's status over HTTP from its own JVM (the JDK's HTTP server, no dependency):
 * the page at {@code /} ({@link PageFiles}), the JSON API under {@code /api/v1/} ({@link RestApi})
 * and Prometheus metrics at {@code /metrics} ({@link PrometheusText}). Read-only: only GET and HEAD are answered (405 otherwise), nothing
 * changes the pipeline. Unknown paths and bad ids get a 404 with a JSON error, a failure a 500
 * with a JSON error and never a stack trace. Binds to the given host (loopback by default: another
 * interface is an explicit choice); if the port is taken it tries the next ones, as Spark's UI does.
 */
public final class UiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);
  static final int PORT_TRIES = 16;

  private final HttpServer server;
  private final ExecutorService threads;
  private final RestApi api;
  private final StatusStore store;
  private final Clock clock;
  private final Supplier<List<UserMetric>> userMetrics;

  private UiServer(
      HttpServer server, ExecutorService threads, StatusStore store, Clock clock,
      Supplier<List<UserMetric>> userMetrics) {
    this.server = server;
    this.threads = threads;
    this.store = store;
    this.clock = clock;
    this.userMetrics = userMetrics;
    this.api = new RestApi(store, clock, userMetrics);
  }

  /**
   * Starts serving {@code store} on {@code host}:{@code port} (0: any free port), with the
   * pipeline's own metrics as {@code userMetrics} gives them at each request.
   *
   * @throws IOException if no port of the {@link #PORT_TRIES} from {@code port} could be bound
   */
  public static UiServer start(
      String host, int port, StatusStore store, Clock clock, Supplier<List<UserMetric>> userMetrics,
      String threadName)
      throws IOException {
    InetAddress address = InetAddress.getByName(host);
    HttpServer server = null;
    BindException last = null;
    for (int attempt = 0; attempt < (port == 0 ? 1 : PORT_TRIES) && server == null; attempt++) {
      try {
        server = HttpServer.create(new InetSocketAddress(address, port == 0 ? 0 : port + attempt), 0);
      } catch (BindException e) {
        last = e;
      }
    }
    if (server == null) {
      throw new IOException(
          "The UI could not listen on " + host + " ports " + port + "-" + (port + PORT_TRIES - 1)
              + ": all taken (set --uiPort, or --uiPort=0 for any free port)", last);
    }
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            });
    UiServer ui = new UiServer(server, threads, store, clock, userMetrics);
    server.createContext("/", ui::handle);
    server.setExecutor(threads);
    server.start();
    LOG.info("{}: UI at {}", store.snapshot(clock.millis()).job().name(), ui.address());
    return ui;
  }

  /** Where the server listens, such as {@code http://127.0.0.1:4040/}. */
  public URI address() {
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + bound.getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    HttpReply reply;
    String method = exchange.getRequestMethod();
    try {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        reply = RestApi.error(405, "The UI is read-only: " + method + " is not allowed");
      } else {
        reply = route(exchange.getRequestURI());
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("The UI failed to answer {} {}", method, exchange.getRequestURI(), e);
      reply = RestApi.error(500, "The UI failed to answer this request; see the pipeline's log");
    }
    exchange.getResponseHeaders().add("Content-Type", reply.contentType());
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    boolean head = method.equals("HEAD");
    exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
    if (!head) {
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(reply.body());
      }
    }
    exchange.close();
  }

  private HttpReply route(URI uri) throws IOException {
    String path = uri.getPath();
    if (RestApi.handles(path)) {
      return api.get(path, uri.getRawQuery());
    }
    if (PageFiles.serves(path)) {
      return PageFiles.get(path);
    }
    if (path.equals("/metrics")) {
      return PrometheusText.of(store.snapshot(clock.millis()), userMetrics.get());
    }
    return RestApi.notFound("No such page: " + path);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
