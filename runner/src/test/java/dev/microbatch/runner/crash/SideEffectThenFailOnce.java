package dev.microbatch.runner.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/**
 * The side effect of Beam's RequiresStableInputIT, on the local file system: for each (random key,
 * value) it writes a file named {@code prefix + key} holding the value, and the first time (no such
 * file existed yet) it then calls {@code firstTime}, which fails or stops the process. A DoFn that
 * sees the same key on its retry leaves one file; a new key leaves two. (Beam's own DoFn globs the
 * prefix through {@code FileSystems.match}, which fails on the local file system while nothing
 * matches, so it cannot run here.)
 */
public final class SideEffectThenFailOnce extends DoFn<KV<String, String>, String> {
  private final String directory;
  private final String prefix;
  private final SerializableFunction<Void, Void> firstTime;

  public SideEffectThenFailOnce(Path directory, String prefix, SerializableFunction<Void, Void> firstTime) {
    this.directory = directory.toString();
    this.prefix = prefix;
    this.firstTime = firstTime;
  }

  @RequiresStableInput
  @ProcessElement
  public void process(@Element KV<String, String> element) throws IOException {
    boolean first = sideEffects(Path.of(directory), prefix) == 0;
    Files.writeString(Path.of(directory, prefix + element.getKey()), element.getValue(), StandardCharsets.UTF_8);
    if (first) {
      firstTime.apply(null);
    }
  }

  /** How many side effects are in {@code directory}. */
  public static long sideEffects(Path directory, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }
}
