package dev.microbatch.engine.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the bytes of a data file as they are made, straight to the file. */
@FunctionalInterface
public interface DataFileContent {
  void writeTo(OutputStream out) throws IOException;
}
