package dev.microbatch.streaming;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.CheckpointConfig;
import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.QueueInput;
import dev.microbatch.streaming.internal.ValueCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

/**
 * The entry point of the DStream API, as Spark Streaming's {@code JavaStreamingContext}: create it
 * with a batch interval, build streams on it, then {@link #start()} it. It runs on the
 * MicroBatch engine; nothing here depends on Beam.
 */
public final class JavaStreamingContext {
  private final StreamingConf conf;
  private final StreamingContext engine;
  private final ValueCodec codec = new ValueCodec();
  private volatile String checkpointDirectory;
  private volatile boolean started;
  private final List<ReceiverInput<?>> receivers = new ArrayList<>();

  public JavaStreamingContext(String appName, Duration batchDuration) {
    this(StreamingConf.of(appName, batchDuration));
  }

  public JavaStreamingContext(StreamingConf conf) {
    this.conf = conf;
    this.engine =
        new StreamingContext(
            conf.appName(),
            new EngineConfig(
                    java.time.Duration.ofMillis(conf.batchDuration().milliseconds()),
                    conf.parallelism(),
                    conf.clock(),
                    false)
                .withMaxBatchAttempts(conf.maxBatchAttempts()));
  }

  /**
   * The context of the newest valid checkpoint in {@code checkpointDirectory}, or a new one. Unlike
   * Spark, which rebuilds the graph from serialized code, the factory always runs: it builds the
   * same graph again, and {@link #start()} restores that graph's state and input positions from
   * the checkpoint (a graph that no longer matches the checkpoint fails with every difference).
   */
  public static JavaStreamingContext getOrCreate(
      String checkpointDirectory, Supplier<JavaStreamingContext> factory) {
    JavaStreamingContext context = factory.get();
    if (context.checkpointDirectory == null) {
      context.checkpoint(checkpointDirectory);
    } else if (!context.checkpointDirectory.equals(checkpointDirectory)) {
      throw new IllegalArgumentException(
          "getOrCreate was given the checkpoint directory " + checkpointDirectory + ", but the"
              + " factory's context checkpoints to " + context.checkpointDirectory + ".");
    }
    return context;
  }

  /**
   * Checkpoints state and input positions after every batch to {@code directory} (any Hadoop file
   * system URI or a local path); a restart with the same directory continues from there.
   */
  public void checkpoint(String directory) {
    checkNotStarted("set its checkpoint directory");
    engine.setCheckpoint(CheckpointConfig.at(directory));
    checkpointDirectory = directory;
  }

  /** Registers how values of {@code type} are encoded for shuffles, state and checkpoints. */
  public <T> void registerCodec(Class<T> type, StreamCodec<T> streamCodec) {
    checkNotStarted("register a codec");
    codec.register(type, streamCodec);
  }

  /**
   * A stream of the collections put into {@code queue}: each batch takes the next one ({@code
   * oneAtATime}) or all that are queued. With checkpoints, a restart skips the collections that
   * committed batches consumed, so a program must queue the same data again.
   */
  public <T> JavaDStream<T> queueStream(Queue<? extends Collection<T>> queue, boolean oneAtATime) {
    checkNotStarted("add a stream");
    return new JavaDStream<>(this, new QueueInput<>(engine, queue, oneAtATime), 1);
  }

  /** {@link #queueStream(Queue, boolean)} taking one queued collection per batch. */
  public <T> JavaDStream<T> queueStream(Queue<? extends Collection<T>> queue) {
    return queueStream(queue, true);
  }

  /**
   * Lines of UTF-8 text from a TCP server. With a checkpoint directory, received lines are in a
   * write-ahead log before they count as received, so a crash loses none; a server that is not
   * there or drops the connection is reconnected to after a growing delay.
   */
  public JavaDStream<String> socketTextStream(String hostname, int port) {
    return receiverStream(new SocketReceiver(hostname, port));
  }

  /**
   * The lines of each new file in {@code directory} (any Hadoop file system), each file once; the
   * files read so far are part of the checkpoint. See {@link FileStreamInput} for when a file
   * counts as new and complete.
   */
  public JavaDStream<String> textFileStream(String directory) {
    return fileStream(directory, TextInputFormat.class, (offset, line) -> line.toString());
  }

  /**
   * The records of each new file in {@code directory}, read with the Hadoop input format {@code
   * format} and turned into values by {@code convert} (Hadoop reuses its key and value objects,
   * so convert copies what it keeps). Spark's {@code fileStream} returns the raw pairs; here the
   * conversion is part of the call.
   */
  public <K, V, R> JavaDStream<R> fileStream(
      String directory, Class<? extends InputFormat<K, V>> format, Function2<K, V, R> convert) {
    checkNotStarted("add a stream");
    return new JavaDStream<>(this, new FileStreamInput<>(engine, directory, format, convert), 1);
  }

  /**
   * A stream of an input written for the engine itself (a replayable {@link InputDStream}), such
   * as the Kafka direct stream: the way to add sources that need no receiver.
   */
  public <T> JavaDStream<T> inputStream(Function<StreamingContext, ? extends InputDStream<T>> input) {
    checkNotStarted("add a stream");
    return new JavaDStream<>(this, input.apply(engine), 1);
  }

  /** A stream of what a custom {@link Receiver} stores. */
  public <T> JavaDStream<T> receiverStream(Receiver<T> receiver) {
    checkNotStarted("add a stream");
    ReceiverInput<T> input =
        new ReceiverInput<>(engine, receiver, codec, conf.clock(), "receiver-" + receivers.size());
    receivers.add(input);
    return new JavaDStream<>(this, input, 1);
  }

  /** Records stored by every receiver of this context so far (tests wait on it). */
  long receivedRecords() {
    return receivers.stream().mapToLong(ReceiverInput::storedRecords).sum();
  }

  /** A batch-sized dataset of {@code values}, such as the static table of a stream-table join. */
  public <T> JavaRDD<T> parallelize(List<T> values) {
    return JavaRDD.of(List.of(new ArrayList<>(values)));
  }

  /** A dataset of pairs, such as the static table of a stream-table join. */
  public <K, V> JavaPairRDD<K, V> parallelizePairs(List<Tuple2<K, V>> pairs) {
    return JavaPairRDD.ofPairs(List.of(new ArrayList<>(pairs)));
  }

  /** The union of streams, batch by batch. */
  @SafeVarargs
  public final <T> JavaDStream<T> union(JavaDStream<T> first, JavaDStream<T>... rest) {
    return first.union(rest);
  }

  /** Listens to every batch: submitted, started, completed (after it committed). */
  public void addStreamingListener(StreamingListener listener) {
    checkNotStarted("add a listener");
    engine.addBatchListener(new ListenerAdapter(listener));
  }

  /**
   * Accepted for Spark programs that call it; the engine keeps a batch's data only as long as a
   * window over it needs it, so there is nothing to remember longer.
   */
  public void remember(Duration duration) {
    if (duration.milliseconds() <= 0) {
      throw new IllegalArgumentException("remember() needs a positive duration, got " + duration + ".");
    }
  }

  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("The streaming context " + conf.appName() + " has already been started.");
    }
    if (engine.graph().outputs().isEmpty()) {
      throw new IllegalStateException(
          "No output operations are registered, so nothing would run: add print(), foreachRDD()"
              + " or saveAsTextFiles() before start().");
    }
    engine.start();
    started = true;
    // Receivers start once the engine restored their positions, so each log replays from there.
    for (ReceiverInput<?> receiver : receivers) {
      try {
        receiver.startReceiving(
            checkpointDirectory == null ? null : checkpointDirectory + "/receivers/" + receiver.name());
      } catch (java.io.IOException e) {
        engine.stop(false);
        throw new java.io.UncheckedIOException(
            "Could not read the write-ahead log of " + receiver.name() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Waits until the context stops; rethrows the failure that stopped it. */
  public void awaitTermination() {
    engine.awaitTermination();
  }

  /** Waits at most {@code timeoutMillis}; true if the context stopped. */
  public boolean awaitTerminationOrTimeout(long timeoutMillis) {
    return engine.awaitTermination(java.time.Duration.ofMillis(timeoutMillis));
  }

  /** Stops at once: the running batch is abandoned (it commits nothing and runs again on restart). */
  public void stop() {
    stop(false);
  }

  /** Stops; gracefully lets the running batch finish, commit and checkpoint first. */
  public void stop(boolean stopGracefully) {
    if (engine.state() == ContextState.INITIALIZED) {
      return;
    }
    engine.stop(stopGracefully);
  }

  /** INITIALIZED, ACTIVE or STOPPED, as Spark's {@code getState()}. */
  public ContextState getState() {
    return engine.state();
  }

  public StreamingConf conf() {
    return conf;
  }

  Duration batchDuration() {
    return conf.batchDuration();
  }

  StreamingContext engine() {
    return engine;
  }

  ValueCodec codec() {
    return codec;
  }

  void checkNotStarted(String action) {
    if (started) {
      throw new IllegalStateException(
          "The streaming context " + conf.appName() + " has started; " + action + " before start().");
    }
  }
}
