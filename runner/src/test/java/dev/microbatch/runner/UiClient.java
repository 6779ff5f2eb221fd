package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** What the UI's tests ask of its server: JSON with its status, Prometheus samples, polling. */
final class UiClient {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  /** GETs {@code uri}, asserts the status and the JSON content type, and parses the body. */
  JsonNode get(URI uri, int status) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(uri + ": " + response.body(), response.statusCode(), is(status));
    assertThat(response.headers().firstValue("Content-Type").orElse(""), containsString("application/json"));
    return json.readTree(response.body());
  }

  /** GETs {@code uri} until {@code done} holds of its JSON (or 60 s passed); the last reply. */
  JsonNode await(URI uri, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode reply = get(uri, 200);
    while (!done.test(reply) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      reply = get(uri, 200);
    }
    return reply;
  }

  void assertJsonError(URI uri, int status, String message) throws Exception {
    JsonNode error = get(uri, status);
    assertThat(error.get("status").asInt(), is(status));
    assertThat(error.get("error").asText(), containsString(message));
  }

  /** Each sample line of the text format ("name{labels} value"), by name and labels. */
  Map<String, Double> prometheus(URI uri) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode(), is(200));
    assertThat(response.headers().firstValue("Content-Type").orElse(""), containsString("text/plain; version=0.0.4"));
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().lines().toList()) {
      if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }
}
