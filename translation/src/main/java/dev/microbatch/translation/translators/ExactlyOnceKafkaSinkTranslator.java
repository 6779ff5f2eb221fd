package dev.microbatch.translation.translators;

import dev.microbatch.engine.checkpoint.CheckpointStore;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import dev.microbatch.io.kafka.OutboxRecord;
import dev.microbatch.io.kafka.SinkOutbox;
import dev.microbatch.io.kafka.SinkShards;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.serialization.Serializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Translates {@link ExactlyOnceKafkaSink}: a stateful stage whose state per partition (a shard) is
 * the {@link SinkOutbox}. Each batch serializes its records into the outbox, forgets the batches
 * Kafka has committed, and hands the batches not handed over yet to the shard's writer once the
 * checkpoint covering this batch is durable (an after-commit action, which the engine holds until
 * then). The writers open, and the topic and marks are checked, here: before anything is read.
 */
public final class ExactlyOnceKafkaSinkTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    ExactlyOnceKafkaSink<Object, Object> sink =
        (ExactlyOnceKafkaSink<Object, Object>) transform.getTransform();
    if (!context.isStreaming() || context.engine().config().checkpoint() == null) {
      throw new IllegalArgumentException(
          "ExactlyOnceKafkaSink '" + transform.getFullName() + "' (sink id " + sink.sinkId() + ")"
              + " needs checkpoints: run in streaming mode with --checkpointDir, which keeps each"
              + " batch's records until Kafka has committed them.");
    }
    int shards = context.engine().config().parallelism();
    SinkShards writers = SinkShards.open(
            sink.topic(),
            sink.sinkId(),
            shards,
            sink.producerConfig(),
            sink.claimsTopic(),
            qualified(context.engine().config().checkpoint().location()),
            context.engine().config().checkpoint().failpoint());
    context.engine().addCloseHook(writers);
    PCollection<KV<Object, Object>> input = Transforms.mainInput(transform);
    DStream<WindowedValue<KV<Object, Object>>> stream = context.streamOf(input);
    // One pair of serializers per shard: a shard's tasks run one at a time.
    AtomicReferenceArray<Serializer<Object>[]> serializers = new AtomicReferenceArray<>(shards);
    DStream<Void> written =
        stream.stateful(
            transform.getFullName(),
            (Iterator<WindowedValue<KV<Object, Object>>> elements,
                SinkOutbox outbox,
                StageTime time,
                TaskContext task) -> {
              writers.throwIfFailed();
              int shard = task.partition();
              refuseIfKafkaIsAhead(sink, shard, writers.committedThrough(shard), outbox.newestBatchAdded());
              Serializer<Object>[] pair = serializers.get(shard);
              if (pair == null) {
                pair = new Serializer[] {sink.newKeySerializer(), sink.newValueSerializer()};
                serializers.set(shard, pair);
              }
              List<OutboxRecord> records = new ArrayList<>();
              while (elements.hasNext()) {
                KV<Object, Object> kv = elements.next().getValue();
                records.add(
                    new OutboxRecord(
                        pair[0].serialize(sink.topic(), kv.getKey()),
                        pair[1].serialize(sink.topic(), kv.getValue())));
              }
              if (!records.isEmpty()) {
                outbox.add(task.batch().batchId(), records);
              }
              outbox.removeThrough(writers.committedThrough(shard));
              for (Map.Entry<Long, List<OutboxRecord>> batch : outbox.takeNotHandedOver()) {
                long batchId = batch.getKey();
                List<OutboxRecord> batchRecords = batch.getValue();
                task.afterCommit(() -> writers.write(shard, batchId, batchRecords));
              }
              return new StageOutput<Void>(List.of(), Watermarks.MAX);
            },
            SinkOutbox::new);
    written.foreachPartition(
        (partition, task) -> {
          while (partition.hasNext()) {
            partition.next();
          }
        });
  }

  /**
   * Kafka holds only batches that an outbox held in a durable checkpoint, so in a run resumed from
   * the newest checkpoint the shard's mark is never newer than the newest batch its outbox held. A
   * newer mark means the checkpoints that covered it are gone (deleted, or the newest corrupt and an
   * older one restored): going on would write the replayed batches again under other numbers.
   */
  private static void refuseIfKafkaIsAhead(
      ExactlyOnceKafkaSink<?, ?> sink, int shard, long committed, long newestHeld) {
    if (committed > newestHeld) {
      throw new IllegalStateException(
          "The exactly-once Kafka sink '" + sink.sinkId() + "' has committed batch " + committed
              + " of shard " + shard + " to Kafka, but this run resumed from a checkpoint that never"
              + " held it (newest batch held: " + newestHeld + "): the checkpoints that covered it are"
              + " missing or corrupt. Writing on would write results Kafka already holds again."
              + " Restore those checkpoints, or start over with a new sink id (and output topic).");
    }
  }

  /** The checkpoint directory as a full URI, the same however the option spelled it. */
  private static String qualified(String location) {
    try {
      return CheckpointStore.open(location, new Configuration()).root().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve the checkpoint directory " + location, e);
    }
  }
}
