package dev.microbatch.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a file sink has published in a directory: its final files, not Beam's hidden temporaries. */
public final class FinalFiles {
  private FinalFiles() {}

  /** The lines of every visible regular file in {@code dir}, files in name order. */
  public static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
        if (Files.isRegularFile(file)) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    }
    return lines;
  }
}
