package dev.microbatch.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each input's rate over a run of finished batches: records per second of batch interval, null
 * where a batch failed or did not read the input. For the page's per-source chart and for Spark's
 * {@code receivers} path: the engine has no receivers, its inputs are read by the batches
 * themselves (like Spark's direct Kafka stream), but tools read per-stream input rates from there.
 */
final class InputStreams {
  private InputStreams() {}

  /** One input's rates, aligned with the batches they were computed over. */
  record Rates(int streamId, String name, Double[] rates) {
    Double average() {
      double sum = 0;
      int count = 0;
      for (Double rate : rates) {
        if (rate != null) {
          sum += rate;
          count++;
        }
      }
      return count == 0 ? null : sum / count;
    }
  }

  /** Every input seen in {@code batches} (oldest first), in the order first seen. */
  static List<Rates> of(List<BatchRecord> batches, long batchIntervalMillis) {
    double perSecond = 1000.0 / Math.max(1, batchIntervalMillis);
    Map<Integer, Rates> byId = new LinkedHashMap<>();
    for (int i = 0; i < batches.size(); i++) {
      BatchRecord batch = batches.get(i);
      if (batch.status() != BatchRecord.Status.COMPLETED) {
        continue;
      }
      for (InputRecord input : batch.inputs()) {
        Rates rates =
            byId.computeIfAbsent(
                input.streamId(), id -> new Rates(id, input.name(), new Double[batches.size()]));
        Double known = rates.rates()[i];
        rates.rates()[i] = (known == null ? 0 : known) + input.records() * perSecond;
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** Spark's receiver fields for one input over {@code batches}. */
  static Map<String, Object> receiver(Rates rates, List<BatchRecord> batches) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("streamId", rates.streamId());
    out.put("streamName", rates.name());
    out.put("isActive", true);
    out.put("executorId", "driver");
    out.put("executorHost", null);
    out.put("lastErrorTime", null);
    out.put("lastErrorMessage", null);
    out.put("lastError", null);
    out.put("avgEventRate", rates.average());
    List<Object[]> eventRates = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      if (rates.rates()[i] != null) {
        eventRates.add(new Object[] {batches.get(i).batchTime(), rates.rates()[i]});
      }
    }
    out.put("eventRates", eventRates);
    return out;
  }
}
