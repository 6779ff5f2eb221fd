package dev.microbatch.engine.checkpoint;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * Names a checkpoint writer as {@code <pid>@<host>/<run>}, so that a successor on the same host can
 * tell that the writer's process is gone (killed, crashed) and take the directory over at once,
 * instead of waiting for its lease to expire. A writer on another host, or one whose name is not in
 * this form, is judged by its lease alone.
 */
public final class WriterIdentity {
  private WriterIdentity() {}

  /** The name of a writer in this process. */
  public static String ofThisProcess() {
    return ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID();
  }

  /** Whether {@code owner} names a process on this host that no longer runs. */
  public static boolean isGoneOnThisHost(String owner) {
    int at = owner.indexOf('@');
    int slash = owner.indexOf('/', at + 1);
    if (at <= 0 || slash < 0) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(owner.substring(0, at));
    } catch (NumberFormatException e) {
      return false;
    }
    if (!owner.substring(at + 1, slash).equals(hostName())) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty() || !process.get().isAlive();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
