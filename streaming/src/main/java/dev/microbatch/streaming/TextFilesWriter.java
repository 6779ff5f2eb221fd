package dev.microbatch.streaming;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a batch as the directory {@code prefix-TIME.suffix} (no {@code .suffix} when it is empty
 * or null) holding a {@code part-NNNNN} file per partition. The files are written into a hidden
 * temporary directory that is then renamed: a reader never sees a partial directory, and a batch
 * that runs again (after a failure or a restart) replaces the directory it may have left.
 */
final class TextFilesWriter {
  private final String prefix;
  private final String suffix;

  TextFilesWriter(String prefix, String suffix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("saveAsTextFiles needs a non-blank prefix.");
    }
    this.prefix = prefix;
    this.suffix = suffix;
  }

  void write(JavaRDD<?> rdd, Time time) throws IOException {
    Path target = new Path(prefix + "-" + time.milliseconds() + (suffix == null || suffix.isEmpty() ? "" : "." + suffix));
    FileSystem fs = target.getFileSystem(new Configuration());
    Path temporary = new Path(target.getParent(), "._temporary-" + target.getName() + "-" + UUID.randomUUID());
    fs.mkdirs(temporary);
    List<? extends List<?>> partitions = rdd.partitions();
    for (int p = 0; p < partitions.size(); p++) {
      try (Writer out =
          new OutputStreamWriter(
              fs.create(new Path(temporary, String.format("part-%05d", p)), false), StandardCharsets.UTF_8)) {
        for (Object element : partitions.get(p)) {
          out.write(String.valueOf(element));
          out.write('\n');
        }
      }
    }
    if (fs.exists(target)) {
      fs.delete(target, true);
    }
    if (!fs.rename(temporary, target)) {
      throw new IOException("Could not rename " + temporary + " to " + target);
    }
  }
}
