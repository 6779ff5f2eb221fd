package dev.microbatch.translation.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;

/**
 * The string keys of state namespaces and the ids of their cells, remembered. Beam's window
 * namespace encodes its window to Base64 on every call, and a batch asks for the keys of the same
 * few windows, and the same few cells in each, for every element (measured: a seventh of Nexmark
 * query 10's worker time for the keys, a twentieth for the cell ids). Bounded, so a pipeline with
 * many windows or tags does not grow it without end. One per partition, confined to its task.
 */
final class NamespaceKeys {
  private static final int NAMESPACE_LIMIT = 4096;
  // Tags are looked up by identity: Beam's runners and triggers keep theirs in fields, so a
  // namespace sees a handful of instances; tags made anew per call just miss and are not kept.
  private static final int TAGS_PER_NAMESPACE = 32;

  /** One namespace's key and the ids of the cells asked for in it. */
  private static final class Known {
    final String key;
    final Map<StateTag<?>, String> cellIds = new IdentityHashMap<>();

    Known(String key) {
      this.key = key;
    }
  }

  private final Map<StateNamespace, Known> known =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StateNamespace, Known> eldest) {
          return size() > NAMESPACE_LIMIT;
        }
      };
  // The namespace asked for last: one element's cells all ask with the same object.
  private StateNamespace last;
  private Known lastKnown;

  String of(StateNamespace namespace) {
    return known(namespace).key;
  }

  /** A cell's id: its namespace and its tag (kind and id, so system and user tags never clash). */
  String cellId(StateNamespace namespace, StateTag<?> tag) {
    Known in = known(namespace);
    String id = in.cellIds.get(tag);
    if (id == null) {
      StringBuilder built = new StringBuilder(in.key).append('\u0000');
      try {
        tag.appendTo(built);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      id = built.toString();
      if (in.cellIds.size() < TAGS_PER_NAMESPACE) {
        in.cellIds.put(tag, id);
      }
    }
    return id;
  }

  private Known known(StateNamespace namespace) {
    if (namespace == last) {
      return lastKnown;
    }
    Known in = known.get(namespace);
    if (in == null) {
      in = new Known(namespace.stringKey());
      known.put(namespace, in);
    }
    last = namespace;
    lastKnown = in;
    return in;
  }
}
