package dev.microbatch.io.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings a sink's helper clients (admin, claim producer and reader) take from the sink's
 * producer settings: those the client knows, so that the brokers and security settings (SASL, TLS)
 * carry over and producer-only ones raise no warnings.
 */
final class ClientSettings {
  private ClientSettings() {}

  static Map<String, Object> of(Map<String, Object> producerConfig, Set<String> known) {
    Map<String, Object> settings = new HashMap<>();
    producerConfig.forEach(
        (name, value) -> {
          if (known.contains(name)) {
            settings.put(name, value);
          }
        });
    return settings;
  }
}
