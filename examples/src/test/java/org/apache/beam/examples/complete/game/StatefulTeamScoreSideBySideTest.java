package org.apache.beam.examples.complete.game;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import dev.microbatch.runner.MicroBatchRunner;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.examples.complete.game.StatefulTeamScore.UpdateTeamScoreFn;
import org.apache.beam.examples.complete.game.UserScore.GameActionInfo;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Beam's StatefulTeamScore example, unmodified ({@link UpdateTeamScoreFn}, a stateful DoFn that
 * emits a team's running total each time it crosses a multiple of the threshold), over a
 * TestStream, on MicroBatchRunner and on DirectRunner: the same totals must come out. Which totals
 * come out depends on the order in which a team's scores reach the DoFn, so this holds only if each
 * TestStream event's elements reach it in the order the TestStream lists them. (In Beam's package
 * because the example's {@link GameActionInfo} is package-private.)
 */
class StatefulTeamScoreSideBySideTest {
  private static final Instant BASE = new Instant(0);
  private static final String OUTPUTS = "team-score-outputs";

  /** Counts each output, by its text, in a metric: what a run emitted, read from its result. */
  static final class CountOutputs extends DoFn<KV<String, Integer>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Integer> total) {
      Metrics.counter(OUTPUTS, total.toString()).inc();
    }
  }

  private static TimestampedValue<KV<String, GameActionInfo>> play(
      String user, String team, int score, long second) {
    Instant at = BASE.plus(Duration.standardSeconds(second));
    return TimestampedValue.of(
        KV.of(team, new GameActionInfo(user, team, score, at.getMillis())), at);
  }

  /** Two events of several plays per team, in an order that decides which totals are emitted. */
  private static TestStream<KV<String, GameActionInfo>> game() {
    return TestStream.create(
            KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(GameActionInfo.class)))
        .advanceWatermarkTo(BASE)
        .addElements(
            play("burgundy", "red", 99, 10),
            play("navy", "blue", 30, 11),
            play("scarlet", "red", 1, 20),
            play("sky", "blue", 90, 21),
            play("scarlet", "red", 0, 30),
            play("navy", "blue", 75, 31),
            play("burgundy", "red", 100, 40),
            play("sky", "blue", 10, 41),
            play("burgundy", "red", 201, 50))
        .advanceWatermarkTo(BASE.plus(Duration.standardMinutes(1)))
        .addElements(
            play("navy", "blue", 96, 70),
            play("scarlet", "red", 98, 71),
            play("sky", "blue", 1, 72),
            play("burgundy", "red", 2, 73),
            play("navy", "blue", 300, 74))
        .advanceWatermarkToInfinity();
  }

  /** Runs the example on {@code runner}; returns how often each total was emitted. */
  private static Map<String, Long> totalsOn(
      Class<? extends PipelineRunner<?>> runner, String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).create();
    options.setRunner(runner);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(game())
        .apply(ParDo.of(new UpdateTeamScoreFn(100)))
        .apply(ParDo.of(new CountOutputs()));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), is(PipelineResult.State.DONE));
    MetricsFilter outputs =
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(OUTPUTS)).build();
    Map<String, Long> totals = new TreeMap<>();
    for (MetricResult<Long> counter : result.metrics().queryMetrics(outputs).getCounters()) {
      totals.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
    }
    return totals;
  }

  @Test
  void emitsTheTotalsDirectRunnerEmits() {
    Map<String, Long> direct = totalsOn(DirectRunner.class);
    // The reference itself: red reaches 200 with its fourth play (99+1+0+100), blue 120 with its
    // second (30+90); a run that reorders a team's plays crosses the thresholds at other totals.
    assertThat(direct, hasEntry("KV{red, 200}", 1L));
    assertThat(direct, hasEntry("KV{blue, 120}", 1L));

    Map<String, Long> microBatch = totalsOn(MicroBatchRunner.class, "--parallelism=4");

    assertThat(microBatch, equalTo(direct));
  }
}
