package dev.microbatch.engine.checkpoint;

import java.io.DataOutputStream;
import java.io.IOException;

/** A capture of a state that a checkpoint always saves whole (small states, saved when changed). */
public final class WholeCapture implements StateCapture {

  /** Writes the captured state; runs on the checkpoint thread. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private final long entries;
  private final Writer writer;

  public WholeCapture(long entries, Writer writer) {
    this.entries = entries;
    this.writer = writer;
  }

  @Override
  public boolean full() {
    return true;
  }

  @Override
  public long entries() {
    return entries;
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    writer.writeTo(out);
  }
}
