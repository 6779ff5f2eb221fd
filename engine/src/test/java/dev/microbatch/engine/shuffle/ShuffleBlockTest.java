package dev.microbatch.engine.shuffle;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A block keeps every element's key beside it, whatever the keys' lengths. */
class ShuffleBlockTest {

  private static ByteKey key(String text) {
    return ByteKey.of(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachElementComesBackWithItsOwnKey() {
    ShuffleBlock<String> block = new ShuffleBlock<>(ElementCodecs.utf8());
    List<String> keys = new ArrayList<>();
    // Keys of many lengths (the empty key too) over enough elements to grow every array.
    for (int i = 0; i < 1_000; i++) {
      String text = "k".repeat(i % 37);
      keys.add(text);
      block.add(key(text), "v" + i);
    }

    List<String> read = new ArrayList<>();
    block.read((k, v) -> new String(k.bytes(), StandardCharsets.UTF_8) + "=" + v).forEachRemaining(read::add);

    for (int i = 0; i < 1_000; i++) {
      assertThat(read.get(i), is(keys.get(i) + "=v" + i));
      assertThat(block.key(i), is(key(keys.get(i))));
      assertThat(block.key(i).partition(5), is(key(keys.get(i)).partition(5)));
    }
  }

  @Test
  void anElementThatFailsToEncodeLeavesNoKeyBehind() {
    ShuffleBlock<String> block = new ShuffleBlock<>(FailingCodecs.utf8FailingOnBad());
    block.add(key("a"), "first");
    assertThrows(ShuffleCodecException.class, () -> block.add(key("b"), "bad"));
    block.add(key("c"), "second");

    List<String> read = new ArrayList<>();
    block.read((k, v) -> new String(k.bytes(), StandardCharsets.UTF_8) + "=" + v).forEachRemaining(read::add);
    assertThat(read, contains("a=first", "c=second"));
  }
}
