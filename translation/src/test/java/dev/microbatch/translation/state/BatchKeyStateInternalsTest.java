package dev.microbatch.translation.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class BatchKeyStateInternalsTest {
  private final BatchKeyStateInternals<String> state = new BatchKeyStateInternals<>("k");

  private static StateNamespace window(long start) {
    return StateNamespaces.window(
        IntervalWindow.getCoder(), new IntervalWindow(new Instant(start), new Instant(start + 10)));
  }

  private static StateTag<BagState<String>> bag(String id) {
    return StateTags.bag(id, StringUtf8Coder.of());
  }

  @Test
  void equalNamespacesMadeAnewReachTheSameCell() {
    StateTag<BagState<String>> tag = bag("buffer");
    state.state(window(0), tag).add("a");
    state.state(window(100), tag).add("other window");
    state.state(window(0), tag).add("b");

    assertThat(state.state(window(0), tag).read(), contains("a", "b"));
    assertThat(state.state(window(100), tag).read(), contains("other window"));
  }

  @Test
  void tagsWithTheSameIdShareACellAndOtherIdsDoNot() {
    StateNamespace namespace = window(0);
    state.state(namespace, bag("buffer")).add("a");
    state.state(namespace, bag("buffer")).add("b");
    state.state(namespace, bag("other")).add("c");

    assertThat(state.state(namespace, bag("buffer")).read(), contains("a", "b"));
    assertThat(state.state(namespace, bag("other")).read(), contains("c"));
    assertThat(state.state(namespace, bag("third")).read(), emptyIterable());
  }

  @Test
  void manyCellsInOneNamespaceStayApart() {
    StateNamespace namespace = StateNamespaces.global();
    for (long i = 0; i < 20; i++) {
      state.state(namespace, StateTags.value("v" + i, VarLongCoder.of())).write(i);
    }
    for (long i = 0; i < 20; i++) {
      ValueState<Long> cell = state.state(namespace, StateTags.value("v" + i, VarLongCoder.of()));
      assertThat(cell.read(), is(i));
    }
  }

  @Test
  void theKeyAndACellAskedForTwiceAreTheSameObjects() {
    StateTag<BagState<String>> tag = bag("buffer");

    assertThat(state.getKey(), is("k"));
    assertThat(state.state(window(0), tag), sameInstance(state.state(window(0), tag)));
  }
}
