package dev.microbatch.translation.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespace;

/**
 * The string keys of state namespaces, remembered. Beam's window namespace encodes its window to
 * Base64 on every call, and a batch asks for the keys of the same few windows for every element
 * and every cell (measured: a seventh of Nexmark query 10's worker time). Bounded, so a pipeline
 * with many windows does not grow it without end. One per partition, confined to its task.
 */
final class NamespaceKeys {
  private static final int LIMIT = 4096;

  private final Map<StateNamespace, String> keys =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StateNamespace, String> eldest) {
          return size() > LIMIT;
        }
      };
  // The namespace asked for last: one element's cells all ask with the same object.
  private StateNamespace last;
  private String lastKey;

  String of(StateNamespace namespace) {
    if (namespace == last) {
      return lastKey;
    }
    String key = keys.get(namespace);
    if (key == null) {
      key = namespace.stringKey();
      keys.put(namespace, key);
    }
    last = namespace;
    lastKey = key;
    return key;
  }
}
