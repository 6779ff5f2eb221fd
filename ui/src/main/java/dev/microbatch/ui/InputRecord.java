package dev.microbatch.ui;

import dev.microbatch.engine.listener.InputInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * What an input read in a batch, as text: per partition its position (offsets, marks,
 * restrictions), each cut at {@link #POSITION_LIMIT} characters.
 */
public record InputRecord(int streamId, String name, long records, List<String> positions) {
  static final int POSITION_LIMIT = 512;

  static InputRecord of(InputInfo input) {
    List<String> positions = new ArrayList<>(input.positions().size());
    for (Object position : input.positions()) {
      String text = String.valueOf(position);
      positions.add(text.length() <= POSITION_LIMIT ? text : text.substring(0, POSITION_LIMIT) + "…");
    }
    return new InputRecord(input.streamId(), input.name(), input.records(), List.copyOf(positions));
  }
}
