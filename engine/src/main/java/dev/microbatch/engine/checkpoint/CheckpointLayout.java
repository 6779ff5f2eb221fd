package dev.microbatch.engine.checkpoint;

import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Names inside a checkpoint directory. Batch ids are zero-padded to 20 digits so that name order
 * is batch order, and every name a writer may leave half-written starts with a dot and ends with
 * {@code .tmp}, so readers skip it without opening it.
 *
 * <pre>
 * _FORMAT                                 "microbatch-checkpoint 3\n"
 * _lease/epoch-&lt;epoch:020d&gt;               one per writer that ever took the directory over
 * manifests/manifest-&lt;batch:020d&gt;         committed manifests
 * data/&lt;batch:020d&gt;-&lt;name&gt;                immutable data files, named by the batch that wrote them
 * any dir/.&lt;name&gt;.&lt;uuid&gt;.tmp              in-flight writes
 * </pre>
 */
final class CheckpointLayout {
  static final int FORMAT_VERSION = 3;
  static final String FORMAT_FILE = "_FORMAT";
  static final String FORMAT_PREFIX = "microbatch-checkpoint ";
  static final String LEASE_DIR = "_lease";
  static final String MANIFEST_DIR = "manifests";
  static final String DATA_DIR = "data";
  static final int RETAINED_MANIFESTS = 3;

  private static final Pattern MANIFEST = Pattern.compile("manifest-(\\d{20})");
  private static final Pattern DATA = Pattern.compile("(\\d{20})-[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

  private CheckpointLayout() {}

  static String formatLine() {
    return FORMAT_PREFIX + FORMAT_VERSION + "\n";
  }

  static String manifestName(long batchId) {
    return "manifest-" + pad(batchId);
  }

  /** The batch id of a committed manifest's name; empty for any other name. */
  static OptionalLong manifestBatch(String name) {
    Matcher m = MANIFEST.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  static String dataPath(long batchId, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A data file name must be 1-200 characters of [A-Za-z0-9._-] and not start with '.' or '-': " + name);
    }
    return DATA_DIR + "/" + pad(batchId) + "-" + name;
  }

  /** The batch that wrote a data file, from its file name; empty for any other name. */
  static OptionalLong dataBatch(String fileName) {
    Matcher m = DATA.matcher(fileName);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(".tmp");
  }

  /** A unique in-flight name beside {@code target}, so concurrent writers never share one. */
  static Path temporaryFor(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  static String pad(long batchId) {
    if (batchId < 0) {
      throw new IllegalArgumentException("Batch ids are not negative, got " + batchId);
    }
    // Not String.format: this runs several times per checkpoint, and a Formatter costs a parse.
    String digits = Long.toString(batchId);
    return "0".repeat(20 - digits.length()) + digits;
  }
}
