package dev.microbatch.streaming;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.time.Clock;
import dev.microbatch.streaming.internal.ValueCodec;
import dev.microbatch.streaming.internal.WriteAheadLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input of a {@link Receiver}: what it stores becomes numbered blocks, and each batch takes
 * the blocks stored since the last committed batch, spread round-robin over the partitions. The
 * position is the number of the first block not yet committed. With a checkpoint directory every
 * block is in the write-ahead log before {@code store} returns, and a restart reads the blocks from
 * the restored position back from the log, so what was stored is never lost. Log segments are
 * deleted once a durable checkpoint is past them.
 */
final class ReceiverInput<T> extends ContinuousInput<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverInput.class);
  private static final long FIRST_RESTART_DELAY_MILLIS = 100;
  private static final long MAX_RESTART_DELAY_MILLIS = 5_000;

  /** What a batch read: the blocks below {@code end}, in batch {@code batchId}. */
  private record Progress(long batchId, long end) {}

  private record Range(long from, long to) {}

  private final Receiver<T> receiver;
  private final ValueCodec codec;
  private final Clock clock;
  private final NavigableMap<Long, List<T>> blocks = new TreeMap<>();
  // Each committed batch's end, until a durable checkpoint covers it (for the log's cleanup).
  private final NavigableMap<Long, Long> endsByBatch = new TreeMap<>();
  private long nextBlock;
  private volatile long committed;
  private WriteAheadLog log;
  private volatile boolean stopped = true;
  private long restartDelay = FIRST_RESTART_DELAY_MILLIS;
  private long storedRecords;

  ReceiverInput(StreamingContext context, Receiver<T> receiver, ValueCodec codec, Clock clock, String name) {
    super(context, name);
    this.receiver = receiver;
    this.codec = codec;
    this.clock = clock;
    receiver.attach(this);
    context.addCloseHook(this::stopReceiving);
  }

  /**
   * Starts the receiver, after the context restored its position: with {@code walDirectory}, the
   * blocks the log holds from that position on come back first.
   */
  void startReceiving(String walDirectory) throws IOException {
    synchronized (this) {
      if (walDirectory != null) {
        log = new WriteAheadLog(walDirectory, codec);
        for (WriteAheadLog.Block block : log.readFrom(committed)) {
          blocks.put(block.number(), castAll(block.records()));
          nextBlock = Math.max(nextBlock, block.number() + 1);
        }
        if (!blocks.isEmpty()) {
          LOG.info("{}: {} blocks from the write-ahead log, from block {}", name(), blocks.size(), committed);
        }
      }
      nextBlock = Math.max(nextBlock, committed);
      stopped = false;
    }
    receiver.onStart();
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castAll(List<Object> records) {
    return (List<T>) (List<?>) records;
  }

  /** Called by the receiver's threads: the block is durable (if logged) when this returns. */
  void store(List<T> records) {
    if (records.isEmpty()) {
      return;
    }
    List<T> block = Collections.unmodifiableList(new ArrayList<>(records));
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException(name() + " is stopped: its receiver can store nothing more.");
      }
      long number = nextBlock;
      if (log != null) {
        try {
          log.append(number, block);
        } catch (IOException e) {
          throw new UncheckedIOException(name() + ": could not write block " + number + " to the write-ahead log", e);
        }
      }
      nextBlock = number + 1;
      blocks.put(number, block);
      storedRecords += block.size();
      restartDelay = FIRST_RESTART_DELAY_MILLIS;
      LOG.debug("{}: stored block {} ({} records, {} in all)", name(), number, block.size(), storedRecords);
    }
  }

  synchronized long storedRecords() {
    return storedRecords;
  }

  boolean isReceiverStopped() {
    return stopped;
  }

  void reportError(String message, Throwable error) {
    LOG.error("{}: {}", name(), message, error);
  }

  /** Stops the receiver now, and starts it again after a delay that grows with each restart. */
  void restartReceiver(String message, Throwable error) {
    long delay;
    synchronized (this) {
      if (stopped) {
        return;
      }
      delay = restartDelay;
      restartDelay = Math.min(MAX_RESTART_DELAY_MILLIS, restartDelay * 2);
    }
    LOG.warn("{}: restarting the receiver in {} ms: {}", name(), delay, message, error);
    Thread restarter =
        new Thread(
            () -> {
              receiver.onStop();
              try {
                clock.sleepUntil(clock.millis() + delay);
              } catch (InterruptedException e) {
                return;
              }
              if (!stopped) {
                receiver.onStart();
              }
            },
            name() + "-restart");
    restarter.setDaemon(true);
    restarter.start();
  }

  private void stopReceiving() throws IOException {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    receiver.onStop();
    synchronized (this) {
      if (log != null) {
        log.close();
      }
    }
  }

  @Override
  protected PartitionRead<T> read(int partition, TaskContext task) {
    Range range = task.batchShared(this, () -> nextRange(task.batch().stableThrough()));
    List<T> mine = new ArrayList<>();
    long index = 0;
    synchronized (this) {
      for (List<T> block : blocks.subMap(range.from(), range.to()).values()) {
        for (T record : block) {
          if (index++ % task.numPartitions() == partition) {
            mine.add(record);
          }
        }
      }
    }
    return new PartitionRead<>(mine, new Progress(task.batch().batchId(), range.to()), Watermarks.MIN);
  }

  /** This batch's blocks: every one stored since the last commit; cleans the log up first. */
  private synchronized Range nextRange(long stableThrough) {
    Map.Entry<Long, Long> stable = endsByBatch.floorEntry(stableThrough);
    if (stable != null && log != null) {
      try {
        log.deleteBelow(stable.getValue());
      } catch (IOException e) {
        LOG.warn("{}: could not delete old write-ahead log segments: {}", name(), e.toString());
      }
      endsByBatch.headMap(stable.getKey(), false).clear();
    }
    return new Range(committed, Math.max(committed, nextBlock));
  }

  @Override
  protected synchronized void commit(List<Object> progress) {
    Progress read = (Progress) progress.get(0);
    committed = read.end();
    endsByBatch.put(read.batchId(), read.end());
    blocks.headMap(committed, false).clear();
  }

  /** The position: the first block not yet committed, an int64. */
  @Override
  protected byte[] checkpointPosition() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(committed);
    }
    return bytes.toByteArray();
  }

  @Override
  protected synchronized void restorePosition(byte[] position) throws IOException {
    if (position.length != 8) {
      throw new IOException("Corrupt checkpoint data: a receiver position of " + position.length + " bytes");
    }
    committed = new DataInputStream(new ByteArrayInputStream(position)).readLong();
  }

  @Override
  public String checkpointFingerprint() {
    return "receiver-v1";
  }

}
