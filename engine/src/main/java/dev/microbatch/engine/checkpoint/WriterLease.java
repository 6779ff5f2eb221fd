package dev.microbatch.engine.checkpoint;

import dev.microbatch.engine.time.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The single-writer lease of a checkpoint directory, as immutable files in {@code _lease/}:
 *
 * <ul>
 *   <li>{@code epoch-<epoch:020d>}: created without overwrite by the writer that takes the
 *       directory over with that epoch; content {@code owner=<id>\nacquired=<millis>\n}. The highest epoch is the
 *       current writer; two writers racing for one epoch cannot both create it.
 *   <li>{@code epoch-<epoch:020d>.renewed-<millis:020d>}: written by a commit once the last sign of
 *       life is an eighth of the timeout old (the previous one deleted), so a successor can tell a
 *       live writer from a dead one by the injected clock.
 *   <li>{@code epoch-<epoch:020d>.released}: written on a clean close, so a successor need not wait.
 * </ul>
 *
 * A writer checks before every commit and every delete that its epoch is still the highest
 * (fencing). Between that check and the manifest's rename there is a window in which a fenced
 * writer can still publish one manifest; it cannot replace one, because publishing never
 * overwrites.
 */
final class WriterLease {
  private static final Pattern EPOCH = Pattern.compile("epoch-(\\d{20})");
  private static final Pattern RENEWED = Pattern.compile("epoch-(\\d{20})\\.renewed-(\\d{20})");
  private static final Pattern ANY_OF_EPOCH = Pattern.compile("epoch-(\\d{20}).*");
  private static final Pattern RELEASED = Pattern.compile("epoch-(\\d{20})\\.released");

  private final DurableFiles files;
  private final Path dir;
  private final Clock clock;
  private final String owner;
  private final long epoch;
  private final long timeoutMillis;
  private Path renewal;
  // When this writer last showed life on disk (acquired or renewed), by the clock.
  private long shownMillis;

  private WriterLease(
      DurableFiles files, Path dir, Clock clock, String owner, long epoch, long timeoutMillis, long shownMillis) {
    this.files = files;
    this.dir = dir;
    this.clock = clock;
    this.owner = owner;
    this.epoch = epoch;
    this.timeoutMillis = timeoutMillis;
    this.shownMillis = shownMillis;
  }

  /**
   * Takes the directory over with the next epoch, unless the current writer is live: not released,
   * acquired or renewed less than {@code timeoutMillis} ago by the clock, and not a process of this
   * host that has ended ({@link WriterIdentity}).
   */
  static WriterLease acquire(DurableFiles files, Path root, Clock clock, String owner, long timeoutMillis)
      throws IOException {
    Path dir = new Path(root, CheckpointLayout.LEASE_DIR);
    files.fs().mkdirs(dir);
    State state = read(files, dir);
    long now = clock.millis();
    if (state.epoch >= 0
        && !state.released
        && state.lastSeenMillis > now - timeoutMillis
        && !WriterIdentity.isGoneOnThisHost(state.owner)) {
      throw new CheckpointException(
          "Checkpoint directory " + root + " has a live writer: " + state.owner + " (epoch " + state.epoch
              + ", last renewed at " + state.lastSeenMillis + ", lease expires at "
              + (state.lastSeenMillis + timeoutMillis) + ", now " + now
              + "). Stop it, or wait for its lease to expire, before starting another writer.");
    }
    long next = state.epoch + 1;
    WriterLease lease = new WriterLease(files, dir, clock, owner, next, timeoutMillis, now);
    try {
      String content = "owner=" + owner + "\nacquired=" + now + "\n";
      files.writeAtomically(lease.epochFile(next), content.getBytes(StandardCharsets.UTF_8));
    } catch (FileAlreadyExistsException e) {
      throw new CheckpointException(
          "Checkpoint directory " + root + ": another writer took epoch " + next + " at the same time");
    }
    lease.deleteOlderEpochs();
    return lease;
  }

  long epoch() {
    return epoch;
  }

  String owner() {
    return owner;
  }

  /**
   * Fails if a newer writer has taken the directory over. Two lookups, no listing: a successor
   * creates the next epoch's file before it deletes the older ones (ours included), and a later
   * successor deletes ours too, so while ours is there and the next is not, nobody took over.
   */
  void checkNotFenced() throws IOException {
    if (files.exists(epochFile(epoch)) && !files.exists(epochFile(epoch + 1))) {
      return;
    }
    State state = read(files, dir);
    if (state.epoch != epoch) {
      throw new WriterFencedException(
          "Checkpoint writer " + owner + " (epoch " + epoch + ") was fenced off by writer " + state.owner
              + " (epoch " + state.epoch + "); it must not commit any more");
    }
  }

  /**
   * Renews unless this writer showed life less than an eighth of the timeout ago: a commit after
   * every batch need not write and sync a file each time to keep a lease of a minute.
   */
  void renewIfDue() throws IOException {
    if (clock.millis() - shownMillis >= timeoutMillis / 8) {
      renew();
    }
  }

  /** Records that this writer is alive now. */
  void renew() throws IOException {
    long now = clock.millis();
    Path next = new Path(dir, epochName(epoch) + ".renewed-" + CheckpointLayout.pad(now));
    if (next.equals(renewal)) {
      return;
    }
    files.writeAtomically(next, new byte[0]);
    if (renewal != null) {
      files.fs().delete(renewal, false);
    }
    renewal = next;
    shownMillis = now;
  }

  /** Lets the next writer take over at once. */
  void release() throws IOException {
    if (read(files, dir).epoch == epoch) {
      try {
        files.writeAtomically(new Path(dir, epochName(epoch) + ".released"), new byte[0]);
      } catch (FileAlreadyExistsException e) {
        // Closed twice: released already.
      }
    }
  }

  private void deleteOlderEpochs() throws IOException {
    for (FileStatus s : files.fs().listStatus(dir)) {
      String name = s.getPath().getName();
      // Temporary names start with a dot; a racing writer's temp for this same epoch is left alone.
      Matcher m = ANY_OF_EPOCH.matcher(name.startsWith(".") ? name.substring(1) : name);
      if (m.matches() && Long.parseLong(m.group(1)) < epoch) {
        files.fs().delete(s.getPath(), false);
      }
    }
  }

  private Path epochFile(long e) {
    return new Path(dir, epochName(e));
  }

  private static String epochName(long e) {
    return "epoch-" + CheckpointLayout.pad(e);
  }

  /** The current holder: the highest epoch, when it last showed life, and whether it let go. */
  private record State(long epoch, String owner, long lastSeenMillis, boolean released) {}

  private static State read(DurableFiles files, Path dir) throws IOException {
    long epoch = -1;
    List<String> names = new ArrayList<>();
    for (FileStatus s : files.fs().listStatus(dir)) {
      String name = s.getPath().getName();
      names.add(name);
      Matcher m = EPOCH.matcher(name);
      if (m.matches()) {
        epoch = Math.max(epoch, Long.parseLong(m.group(1)));
      }
    }
    if (epoch < 0) {
      return new State(-1, "none", Long.MIN_VALUE, true);
    }
    long lastSeen = Long.MIN_VALUE;
    boolean released = false;
    for (String name : names) {
      Matcher r = RENEWED.matcher(name);
      if (r.matches() && Long.parseLong(r.group(1)) == epoch) {
        lastSeen = Math.max(lastSeen, Long.parseLong(r.group(2)));
      }
      Matcher d = RELEASED.matcher(name);
      if (d.matches() && Long.parseLong(d.group(1)) == epoch) {
        released = true;
      }
    }
    String owner = "unknown";
    try {
      String content = new String(files.readAll(new Path(dir, epochName(epoch))), StandardCharsets.UTF_8);
      for (String line : content.split("\n")) {
        if (line.startsWith("owner=")) {
          owner = line.substring("owner=".length());
        } else if (line.startsWith("acquired=")) {
          lastSeen = Math.max(lastSeen, Long.parseLong(line.substring("acquired=".length()).trim()));
        }
      }
    } catch (java.io.FileNotFoundException e) {
      // Deleted between listing and reading by a newer writer, which is then live.
      lastSeen = Long.MAX_VALUE / 2;
    } catch (NumberFormatException e) {
      throw new CheckpointException("Unreadable lease file " + new Path(dir, epochName(epoch)) + ": " + e.getMessage());
    }
    return new State(epoch, owner, lastSeen, released);
  }
}
