package dev.microbatch.translation.checkpoint;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.BoundedTrieResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.StringSetResult;

/**
 * Beam metrics as a checkpoint saves them, every metric of every step by kind (big-endian; strings
 * as int32 length + UTF-8), each metric introduced by its step, namespace and name:
 *
 * <pre>
 *   int32 counters,      each: key, int64 value
 *   int32 distributions, each: key, int64 sum, int64 count, int64 min, int64 max
 *   int32 gauges,        each: key, int64 value
 *   int32 string sets,   each: key, int32 strings, each string
 *   int32 bounded tries, each: key, int32 paths, each: int32 segments, each string
 * </pre>
 *
 * A gauge restores with its value (its timestamp becomes the restore's); a bounded trie restores
 * its paths (a path's truncation flag is not kept).
 */
public final class MetricsStepMapCodec implements ElementCodec<MetricsContainerStepMap> {

  @Override
  public void encode(MetricsContainerStepMap metrics, OutputStream out) throws Exception {
    MetricQueryResults all = MetricsContainerStepMap.asAttemptedOnlyMetricResults(metrics).allMetrics();
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(size(all.getCounters()));
    for (MetricResult<Long> counter : all.getCounters()) {
      writeKey(data, counter.getKey());
      data.writeLong(counter.getAttempted());
    }
    data.writeInt(size(all.getDistributions()));
    for (MetricResult<DistributionResult> distribution : all.getDistributions()) {
      writeKey(data, distribution.getKey());
      DistributionResult value = distribution.getAttempted();
      data.writeLong(value.getSum());
      data.writeLong(value.getCount());
      data.writeLong(value.getMin());
      data.writeLong(value.getMax());
    }
    data.writeInt(size(all.getGauges()));
    for (MetricResult<GaugeResult> gauge : all.getGauges()) {
      writeKey(data, gauge.getKey());
      data.writeLong(gauge.getAttempted().getValue());
    }
    data.writeInt(size(all.getStringSets()));
    for (MetricResult<StringSetResult> set : all.getStringSets()) {
      writeKey(data, set.getKey());
      List<String> strings = new ArrayList<>(set.getAttempted().getStringSet());
      data.writeInt(strings.size());
      for (String string : strings) {
        Encoding.writeString(data, string);
      }
    }
    data.writeInt(size(all.getBoundedTries()));
    for (MetricResult<BoundedTrieResult> trie : all.getBoundedTries()) {
      writeKey(data, trie.getKey());
      List<List<String>> paths = new ArrayList<>(trie.getAttempted().getResult());
      data.writeInt(paths.size());
      for (List<String> path : paths) {
        data.writeInt(path.size());
        for (String segment : path) {
          Encoding.writeString(data, segment);
        }
      }
    }
    data.flush();
  }

  @Override
  public MetricsContainerStepMap decode(InputStream in) throws Exception {
    DataInputStream data = new DataInputStream(in);
    MetricsContainerStepMap metrics = new MetricsContainerStepMap();
    int counters = data.readInt();
    for (int i = 0; i < counters; i++) {
      Key key = readKey(data);
      metrics.getContainer(key.step()).getCounter(key.name()).inc(data.readLong());
    }
    int distributions = data.readInt();
    for (int i = 0; i < distributions; i++) {
      Key key = readKey(data);
      long sum = data.readLong();
      long count = data.readLong();
      long min = data.readLong();
      long max = data.readLong();
      if (count > 0) {
        metrics.getContainer(key.step()).getDistribution(key.name()).update(sum, count, min, max);
      }
    }
    int gauges = data.readInt();
    for (int i = 0; i < gauges; i++) {
      Key key = readKey(data);
      metrics.getContainer(key.step()).getGauge(key.name()).set(data.readLong());
    }
    int sets = data.readInt();
    for (int i = 0; i < sets; i++) {
      Key key = readKey(data);
      MetricsContainerImpl container = metrics.getContainer(key.step());
      int strings = data.readInt();
      for (int s = 0; s < strings; s++) {
        container.getStringSet(key.name()).add(Encoding.readString(data));
      }
    }
    int tries = data.readInt();
    for (int i = 0; i < tries; i++) {
      Key key = readKey(data);
      MetricsContainerImpl container = metrics.getContainer(key.step());
      int paths = data.readInt();
      for (int p = 0; p < paths; p++) {
        int segments = data.readInt();
        List<String> path = new ArrayList<>(segments);
        for (int s = 0; s < segments; s++) {
          path.add(Encoding.readString(data));
        }
        // A result path ends with its truncation flag, which is not a segment.
        container.getBoundedTrie(key.name()).add(path.subList(0, Math.max(0, path.size() - 1)));
      }
    }
    return metrics;
  }

  private record Key(String step, MetricName name) {}

  private static void writeKey(DataOutputStream out, MetricKey key) throws IOException {
    Encoding.writeString(out, key.stepName() == null ? "" : key.stepName());
    Encoding.writeString(out, key.metricName().getNamespace());
    Encoding.writeString(out, key.metricName().getName());
  }

  private static Key readKey(DataInputStream in) throws IOException {
    String step = Encoding.readString(in);
    return new Key(step, MetricName.named(Encoding.readString(in), Encoding.readString(in)));
  }

  private static int size(Iterable<?> items) {
    int count = 0;
    for (Object ignored : items) {
      count++;
    }
    return count;
  }

  @Override
  public String toString() {
    return "Beam metrics by step";
  }
}
