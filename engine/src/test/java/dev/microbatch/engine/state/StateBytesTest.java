package dev.microbatch.engine.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StateBytesTest {
  @Test
  void appendingAndJoiningKeepTheBytesInOrderAndLeaveTheOriginalAsItWas() {
    byte[] first = {1, 2};
    StateBytes one = StateBytes.of(first);
    StateBytes three = one.append(new byte[] {3}).append(new byte[] {4, 5});
    StateBytes joined = three.joinLast(2);

    assertThat(one.chunks(), is(1));
    assertThat(one.toArray(), sameInstance(first));
    assertThat(three.chunks(), is(3));
    assertThat(three.length(), is(5L));
    assertThat(joined.chunks(), is(2));
    assertThat(joined.chunk(0), sameInstance(first));
    assertThat(joined.chunk(1), is(new byte[] {3, 4, 5}));
    assertThat(joined.toArray(), is(new byte[] {1, 2, 3, 4, 5}));
    assertThat(three.toArray(), is(new byte[] {1, 2, 3, 4, 5}));
  }

  @Test
  void joiningFewerThanTwoOrMoreThanThereAreChunksIsRefused() {
    StateBytes two = StateBytes.of(new byte[] {1}).append(new byte[] {2});
    assertThrows(IllegalArgumentException.class, () -> two.joinLast(1));
    assertThrows(IllegalArgumentException.class, () -> two.joinLast(3));
  }
}
