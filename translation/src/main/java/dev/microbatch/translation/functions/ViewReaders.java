package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.event.WatermarkSnapshot;
import dev.microbatch.engine.event.Watermarks;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages that read one streaming view, and how far behind their watermark each may still need
 * a window of it: when a side-input window can be dropped.
 *
 * <p>A reader needs side-input window W for main-input windows that map to it, which end at most
 * the view's maximum lookback after W ends. Once the reader's committed output watermark (held by
 * the elements it pushed back) is past the end of W plus that lookback plus the main input's
 * allowed lateness, every such main window is expired for it: what could still arrive for W is
 * droppable. The side input's own watermark says nothing of this (a main input may lag it), so
 * only the readers' watermarks count, and W goes once it is expired for every reader.
 *
 * <p>Filled in while the pipeline is translated, read only once it runs.
 */
public final class ViewReaders {
  private record Reader(int streamId, long slackMillis) {}

  private final List<Reader> readers = new ArrayList<>();

  /**
   * @param slackMillis the view's maximum lookback plus the reader's main-input allowed lateness
   */
  public void add(DStream<?> reader, long slackMillis) {
    readers.add(new Reader(reader.id(), slackMillis));
  }

  /**
   * The time before which a window's end makes it expired for every reader, as of {@code
   * committed}: {@link Watermarks#MIN} (nothing expires) while no reader is known.
   */
  public long expiredBefore(WatermarkSnapshot committed) {
    if (readers.isEmpty()) {
      return Watermarks.MIN;
    }
    long bound = Watermarks.MAX;
    for (Reader reader : readers) {
      bound = Math.min(bound, minus(committed.output(reader.streamId()), reader.slackMillis()));
    }
    return bound;
  }

  /** {@code watermark - slack}, with the engine's open ends kept open. */
  private static long minus(long watermark, long slack) {
    if (watermark == Watermarks.MIN || watermark == Watermarks.MAX) {
      return watermark;
    }
    long bound = watermark - slack;
    // Overflowed below: nothing expires yet.
    return bound > watermark ? Watermarks.MIN : bound;
  }
}
