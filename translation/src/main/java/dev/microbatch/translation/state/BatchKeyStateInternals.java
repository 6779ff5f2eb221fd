package dev.microbatch.translation.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;

/**
 * The Beam state of one key while a bounded batch reduces it all at once: working cells only,
 * never encoded, dropped with the key. Beam's in-memory state looks every access up in a table
 * keyed by a new wrapper of the tag's id; the reduce runner asks for a handful of cells several
 * times per element, and that lookup was a quarter of Nexmark query 11's samples (JFR). Here an
 * element's accesses, which share one namespace object, find it by identity, and a namespace's few
 * cells are found by the identity of their tag (the runner keeps its tags in fields), else by id.
 */
public final class BatchKeyStateInternals<K> implements StateInternals {
  private final K key;
  private final Map<StateNamespace, Cells> namespaces = new HashMap<>();
  private StateNamespace lastNamespace;
  private Cells lastCells;

  public BatchKeyStateInternals(K key) {
    this.key = key;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public <T extends State> T state(StateNamespace namespace, StateTag<T> tag, StateContext<?> c) {
    if (namespace != lastNamespace) {
      lastCells = namespaces.computeIfAbsent(namespace, n -> new Cells());
      lastNamespace = namespace;
    }
    return lastCells.get(tag, c);
  }

  /** One namespace's cells, in the order they were first asked for: a handful, scanned. */
  private static final class Cells {
    private final List<StateTag<?>> tags = new ArrayList<>(4);
    private final List<State> states = new ArrayList<>(4);

    @SuppressWarnings("unchecked")
    <T extends State> T get(StateTag<T> tag, StateContext<?> c) {
      for (int i = 0; i < tags.size(); i++) {
        if (tags.get(i) == tag) {
          return (T) states.get(i);
        }
      }
      // Another instance of a tag names the same cell when its id is the same (as Beam's table).
      String id = tag.getId();
      for (int i = 0; i < tags.size(); i++) {
        if (tags.get(i).getId().equals(id)) {
          return (T) states.get(i);
        }
      }
      T state = tag.bind(new InMemoryStateInternals.InMemoryStateBinder(c));
      tags.add(tag);
      states.add(state);
      return state;
    }
  }
}
