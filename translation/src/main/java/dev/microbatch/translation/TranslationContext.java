package dev.microbatch.translation;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.functions.DoFnInstancePool;
import dev.microbatch.translation.functions.ViewReaders;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * The state of translating one pipeline: the engine stream of every translated PCollection, and
 * what translators share (options, metrics, user code instances to tear down).
 */
public final class TranslationContext {
  private final StreamingContext engine;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final ExecutionMode mode;
  private final Map<PCollection<?>, DStream<WindowedValue<?>>> streams = new LinkedHashMap<>();
  private final Map<PCollection<?>, DStream<WindowedValue<?>>> viewContents =
      new IdentityHashMap<>();
  private final Map<PCollection<?>, ViewReaders> viewReaders = new IdentityHashMap<>();
  private final Set<PCollection<?>> consumed = Collections.newSetFromMap(new IdentityHashMap<>());

  public TranslationContext(
      StreamingContext engine, PipelineOptions options, BeamMetrics metrics, ExecutionMode mode) {
    this.engine = engine;
    this.options = options;
    this.metrics = metrics;
    this.mode = mode;
  }

  public ExecutionMode mode() {
    return mode;
  }

  public boolean isStreaming() {
    return mode.streaming();
  }

  public StreamingContext engine() {
    return engine;
  }

  public PipelineOptions options() {
    return options;
  }

  public BeamMetrics metrics() {
    return metrics;
  }

  /** The stream of an already translated PCollection, which is now consumed. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> DStream<WindowedValue<T>> streamOf(PCollection<T> collection) {
    DStream<WindowedValue<?>> stream = streams.get(collection);
    if (stream == null) {
      throw new IllegalStateException(
          "Internal error: "
              + collection
              + " is read before the transform that produces it was translated.");
    }
    consumed.add(collection);
    return (DStream) stream;
  }

  /**
   * The stream holding the elements a side input view is built from: in a bounded pipeline the
   * PCollection's own, through its coder (complete in its one batch); in a streaming one the view's current contents,
   * as its PCollection's trigger has fired them so far (one such stream per PCollection).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public DStream<WindowedValue<?>> streamOfView(PCollectionView<?> view) {
    PCollection<?> collection = view.getPCollection();
    DStream<WindowedValue<?>> stream = (DStream) streamOf(collection);
    return viewContents.computeIfAbsent(
        collection,
        c ->
            isStreaming()
                ? StreamingViews.contents((PCollection) c, (DStream) stream, readersOf(c), this)
                : BatchViews.contents((PCollection) c, (DStream) stream));
  }

  /**
   * Records that {@code reader}, whose main input is windowed by {@code mainWindowing}, reads
   * {@code views}: in a streaming pipeline their contents keep each window until it is expired for
   * every reader (see {@link ViewReaders}).
   */
  public void readsViews(
      Iterable<? extends PCollectionView<?>> views,
      WindowingStrategy<?, ?> mainWindowing,
      DStream<?> reader) {
    if (!isStreaming()) {
      return;
    }
    for (PCollectionView<?> view : views) {
      long lookback = view.getWindowMappingFn().maximumLookback().getMillis();
      long lateness = mainWindowing.getAllowedLateness().getMillis();
      long slack = lookback > Long.MAX_VALUE - lateness ? Long.MAX_VALUE : lookback + lateness;
      readersOf(view.getPCollection()).add(reader, slack);
    }
  }

  private ViewReaders readersOf(PCollection<?> collection) {
    return viewReaders.computeIfAbsent(collection, c -> new ViewReaders());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> void setStream(PCollection<T> collection, DStream<WindowedValue<T>> stream) {
    if (streams.put(collection, (DStream) stream) != null) {
      throw new IllegalStateException("Internal error: " + collection + " was translated twice.");
    }
    // Computed once for several readers, a bounded pipeline's one batch is kept in its
    // PCollection's encoding (a stream reused for a second PCollection keeps its first one's).
    // A streaming batch is small, bounded by the records read per batch: its elements stay
    // objects, shared by their readers, which saves an encoding and a decoding per reader.
    if (!mode().streaming() && !stream.isStoredEncoded()) {
      stream.storeEncoded(BeamElementCodec.of(collection));
    }
  }

  /** Registers a pool of user code instances, torn down when the engine stops. */
  public DoFnInstancePool register(DoFnInstancePool pool) {
    engine.addCloseHook(pool);
    return pool;
  }

  /**
   * Gives every PCollection that nothing consumes an output operation that drains it, so that every
   * transform runs (a ParDo with side effects and no consumer must still execute).
   */
  void drainUnconsumed() {
    streams.forEach(
        (collection, stream) -> {
          if (!consumed.contains(collection)) {
            stream.foreachPartition(
                (partition, task) -> {
                  while (partition.hasNext()) {
                    partition.next();
                  }
                });
          }
        });
  }
}
