package dev.microbatch.engine.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph file's layout reads back what it wrote, and refuses what it did not write. */
class GraphCheckpointCodecTest {
  private static final GraphCheckpoint GRAPH =
      new GraphCheckpoint(
          2,
          List.of(
              new GraphCheckpoint.Unit("Read", GraphCheckpoint.Kind.INPUT, "source"),
              new GraphCheckpoint.Unit("Sum", GraphCheckpoint.Kind.STATE, "coders")),
          Map.of("Read", Long.MAX_VALUE, "Sum", 42L),
          Map.of("Read", new byte[] {1, 2, 3}),
          Map.of("Sum", List.of(List.of("data/a", "data/b"), List.of())),
          Map.of("beam-metrics", new byte[] {9}));

  @Test
  void roundTrips() throws Exception {
    GraphCheckpoint back = GraphCheckpointCodec.decode(GraphCheckpointCodec.encode(GRAPH));
    assertThat(back.parallelism(), is(2));
    assertThat(back.units(), is(GRAPH.units()));
    assertThat(back.watermarks(), is(GRAPH.watermarks()));
    assertThat(back.inputPositions().get("Read")[2], is((byte) 3));
    assertThat(back.stateChains(), is(GRAPH.stateChains()));
    assertThat(back.accumulators().get("beam-metrics")[0], is((byte) 9));
  }

  @Test
  void refusesAnotherLayoutVersionAndTrailingBytes() throws Exception {
    byte[] encoded = GraphCheckpointCodec.encode(GRAPH);
    byte[] otherVersion = encoded.clone();
    otherVersion[7] = 9;
    assertThat(
        assertThrows(CheckpointException.class, () -> GraphCheckpointCodec.decode(otherVersion))
            .getMessage(),
        containsString("layout version 9"));
    byte[] longer = java.util.Arrays.copyOf(encoded, encoded.length + 1);
    assertThat(
        assertThrows(CheckpointException.class, () -> GraphCheckpointCodec.decode(longer)).getMessage(),
        containsString("bytes after the end"));
  }
}
