package dev.microbatch.translation.functions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.shuffle.EncodedElements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class TaggedOutputCodecTest {
  private static final IntervalWindow WINDOW = new IntervalWindow(new Instant(0), new Instant(10));
  /** VarLongCoder that counts its decodings. */
  private static final class CountingLongCoder extends AtomicCoder<Long> {
    private final AtomicInteger decodes = new AtomicInteger();

    @Override
    public void encode(Long value, OutputStream out) throws java.io.IOException {
      VarLongCoder.of().encode(value, out);
    }

    @Override
    public Long decode(InputStream in) throws java.io.IOException {
      decodes.incrementAndGet();
      return VarLongCoder.of().decode(in);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<WindowedValue<?>> windowed(Coder<?> valueCoder) {
    return (Coder) WindowedValues.getFullCoder(valueCoder, IntervalWindow.getCoder());
  }

  private final CountingLongCoder lengthCoder = new CountingLongCoder();
  private final TaggedOutputCodec codec =
      new TaggedOutputCodec(List.of(windowed(StringUtf8Coder.of()), windowed(lengthCoder)), "words, lengths");

  private static WindowedValue<?> at(Object value, long timestamp) {
    return WindowedValues.of(value, new Instant(timestamp), WINDOW, PaneInfo.ON_TIME_AND_ONLY_FIRING);
  }

  @Test
  void aReaderOfOneOutputDecodesOnlyThatOutputsValues() {
    EncodedElements<Object> stored = new EncodedElements<>(codec);
    stored.add(new TaggedOutput(0, at("apple", 1)));
    stored.add(new TaggedOutput(1, at(5L, 2)));
    stored.add(new TaggedOutput(0, at("fig", 3)));
    stored.add(new TaggedOutput(1, at(3L, 4)));

    List<Object> words = new ArrayList<>();
    List<Long> wordTimestamps = new ArrayList<>();
    for (Object element : stored) {
      TaggedOutput tagged = (TaggedOutput) element;
      if (tagged.outputIndex() == 0) {
        words.add(tagged.value().getValue());
        wordTimestamps.add(tagged.value().getTimestamp().getMillis());
      }
    }
    assertThat(words, contains("apple", "fig"));
    assertThat(wordTimestamps, contains(1L, 3L));
    assertThat("the other output's values stay bytes", lengthCoder.decodes.get(), is(0));

    TaggedOutput length = (TaggedOutput) stored.get(3);
    WindowedValue<?> value = length.value();
    assertThat(value.getValue(), is(3L));
    assertThat(value.getWindows(), contains((BoundedWindow) WINDOW));
    assertThat(value.getPaneInfo(), is(PaneInfo.ON_TIME_AND_ONLY_FIRING));
    length.value();
    assertThat("decoded once, then kept", lengthCoder.decodes.get(), is(1));
  }

  @Test
  void aStreamThatDoesNotSayWhatIsLeftIsReadToItsEnd() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.encode(new TaggedOutput(0, at("a longer word than one read takes", 7)), bytes);
    InputStream silent =
        new FilterInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
          @Override
          public int available() {
            return 0;
          }
        };

    TaggedOutput decoded = (TaggedOutput) codec.decode(silent);

    assertThat(decoded.outputIndex(), is(0));
    assertThat(decoded.value().getValue(), is("a longer word than one read takes"));
  }
}
