package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.CheckpointException;
import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges one partition's chain of files into one whole file, on the checkpoint thread, with a
 * fresh state of the stage (never the live one, see {@link CheckpointedState#merge}). So
 * compaction needs nothing of the driver, and costs the batches only the checkpoint thread's CPU;
 * its price is the chain's bytes and the merged file in memory while it runs.
 */
final class ChainCompaction {
  /** Reads a file of the chain by its path. */
  interface ChainReader {
    byte[] read(String path) throws IOException;
  }

  private final StateChains.Compaction compaction;
  private final CheckpointedState fresh;

  ChainCompaction(StateChains.Compaction compaction, CheckpointedState fresh) {
    this.compaction = compaction;
    this.fresh = fresh;
  }

  StateChains.Compaction compaction() {
    return compaction;
  }

  /** The merged whole capture (it may merge only as it is written). */
  StateCapture merge(ChainReader reader) throws IOException {
    List<byte[]> chain = new ArrayList<>();
    for (String path : compaction.chain()) {
      chain.add(reader.read(path));
    }
    StateCapture whole;
    try {
      whole = fresh.merge(chain);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(
          "Cannot compact the checkpoint files "
              + compaction.chain()
              + " of stateful transform '"
              + compaction.stage()
              + "' partition "
              + compaction.partition(),
          e);
    }
    if (whole == null || !whole.full()) {
      throw new IllegalStateException(
          "Internal error: the state of '" + compaction.stage() + "' gave no whole capture");
    }
    return whole;
  }
}
