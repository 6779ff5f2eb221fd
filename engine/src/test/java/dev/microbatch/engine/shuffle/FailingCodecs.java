package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;

/** Codecs for tests of what a failed encoding leaves behind. */
final class FailingCodecs {
  private FailingCodecs() {}

  /**
   * UTF-8 strings, except that encoding one that starts with "bad" writes its bytes and then
   * fails, so the list must undo what was written.
   */
  static ElementCodec<String> utf8FailingOnBad() {
    return new ElementCodec<>() {
      @Override
      public void encode(String element, OutputStream out) throws Exception {
        ElementCodecs.utf8().encode(element, out);
        if (element.startsWith("bad")) {
          throw new IllegalArgumentException("cannot encode " + element.length() + " chars");
        }
      }

      @Override
      public String decode(InputStream in) throws Exception {
        return ElementCodecs.utf8().decode(in);
      }
    };
  }
}
