package dev.microbatch.translation.state;

import java.util.Arrays;
import java.util.HashMap;
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

  /** One namespace's cells, in the order they were first asked for. */
  private static final class Cells {
    private StateTag<?>[] tags = new StateTag<?>[4];
    private State[] states = new State[4];
    private int size;

    @SuppressWarnings("unchecked")
    <T extends State> T get(StateTag<T> tag, StateContext<?> c) {
      for (int i = 0; i < size; i++) {
        if (tags[i] == tag) {
          return (T) states[i];
        }
      }
      // Another instance of a tag names the same cell when its id is the same (as Beam's table).
      String id = tag.getId();
      for (int i = 0; i < size; i++) {
        if (tags[i].getId().equals(id)) {
          return (T) states[i];
        }
      }
      T state = tag.bind(new InMemoryStateInternals.InMemoryStateBinder(c));
      if (size == tags.length) {
        tags = Arrays.copyOf(tags, size * 2);
        states = Arrays.copyOf(states, size * 2);
      }
      tags[size] = tag;
      states[size] = state;
      size++;
      return state;
    }
  }
}
