package dev.microbatch.benchmarks;

import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** For each record, its key and how many records of that key came so far (keyed state). */
final class RunningCountFn extends DoFn<KV<String, String>, KV<String, String>> {
  @StateId("count")
  private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

  @ProcessElement
  public void process(
      @Element KV<String, String> record,
      @StateId("count") ValueState<Long> count,
      OutputReceiver<KV<String, String>> out) {
    Long before = count.read();
    long now = (before == null ? 0 : before) + 1;
    count.write(now);
    out.output(KV.of(record.getKey(), Long.toString(now)));
  }
}
