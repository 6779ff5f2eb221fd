package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ByteKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups one partition's shuffled elements by encoded key, keeping first-seen key order. */
final class Groups {
  private Groups() {}

  static <T> Iterator<Group<T>> group(Iterator<Keyed<T>> input) {
    Map<ByteKey, List<T>> groups = new LinkedHashMap<>();
    while (input.hasNext()) {
      Keyed<T> element = input.next();
      groups.computeIfAbsent(element.key(), k -> new ArrayList<>()).add(element.value());
    }
    return Iterators.map(groups.entrySet().iterator(), e -> new Group<>(e.getKey(), e.getValue()));
  }
}
