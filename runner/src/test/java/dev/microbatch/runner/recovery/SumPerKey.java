package dev.microbatch.runner.recovery;

import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/** A stateful DoFn: each key's sum, output once when the input is complete. */
final class SumPerKey<K> extends DoFn<KV<K, Long>, KV<K, Long>> {
  @StateId("sum")
  private final StateSpec<ValueState<Long>> sumSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("end")
  private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @ProcessElement
  public void process(
      @Element KV<K, Long> element,
      @StateId("sum") ValueState<Long> sum,
      @TimerId("end") Timer end) {
    Long current = sum.read();
    sum.write((current == null ? 0 : current) + element.getValue());
    end.set(GlobalWindow.INSTANCE.maxTimestamp());
  }

  @OnTimer("end")
  public void onEnd(
      @Key K key, @StateId("sum") ValueState<Long> sum, OutputReceiver<KV<K, Long>> out) {
    out.output(KV.of(key, sum.read()));
  }
}
