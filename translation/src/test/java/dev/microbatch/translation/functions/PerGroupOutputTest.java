package dev.microbatch.translation.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.util.UserCodeException;
import org.junit.jupiter.api.Test;

/** A reducer's groups are reduced one at a time, as their output is read, not all up front. */
class PerGroupOutputTest {
  private final AtomicInteger pulled = new AtomicInteger();

  private Iterator<List<Integer>> groups(List<List<Integer>> groups) {
    Iterator<List<Integer>> all = groups.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return all.hasNext();
      }

      @Override
      public List<Integer> next() {
        pulled.incrementAndGet();
        return all.next();
      }
    };
  }

  @Test
  void aGroupIsReducedOnlyOnceThePreviousGroupsOutputWasRead() {
    // Each group outputs its sum and its size; the empty group outputs nothing.
    Iterator<Integer> out =
        new PerGroupOutput<List<Integer>, Integer>(
            groups(List.of(List.of(1, 2), List.of(), List.of(3, 4, 5))),
            (group, o) -> {
              if (!group.isEmpty()) {
                o.add(group.stream().mapToInt(Integer::intValue).sum());
                o.add(group.size());
              }
            });
    assertEquals(0, pulled.get());
    assertEquals(3, out.next());
    assertEquals(1, pulled.get());
    assertEquals(2, out.next());
    assertEquals(1, pulled.get());
    List<Integer> rest = new ArrayList<>();
    out.forEachRemaining(rest::add);
    assertEquals(List.of(12, 3), rest);
    assertEquals(3, pulled.get());
    assertFalse(out.hasNext());
  }

  @Test
  void aCheckedExceptionOfTheReducerSurfacesAsUserCodeException() {
    Iterator<Integer> out =
        new PerGroupOutput<List<Integer>, Integer>(
            groups(List.of(List.of(1))),
            (group, o) -> {
              throw new IOException("broken");
            });
    UserCodeException e = assertThrows(UserCodeException.class, out::hasNext);
    assertEquals("broken", e.getCause().getMessage());
  }
}
