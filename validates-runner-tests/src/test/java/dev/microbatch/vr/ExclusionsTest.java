package dev.microbatch.vr;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExclusionsTest {
  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void excludesSubcategoriesOfAnExcludedCategory() {
    Exclusions exclusions =
        Exclusions.parse(
            List.of("category:org.apache.beam.sdk.testing.UsesStatefulParDo | state comes later"),
            loader);
    Optional<String> reason =
        exclusions.reasonFor(
            "SomeTest", "m", Set.of("org.apache.beam.sdk.testing.UsesMapState"), loader);
    assertThat(reason.orElseThrow(), containsString("state comes later"));
    assertThat(
        exclusions.reasonFor("SomeTest", "m", Set.of("org.apache.beam.sdk.testing.ValidatesRunner"), loader),
        is(Optional.empty()));
  }

  @Test
  void excludesASingleTestByName() {
    Exclusions exclusions = Exclusions.parse(List.of("test:a.B#c | flaky upstream"), loader);
    assertThat(exclusions.reasonFor("a.B", "c", Set.of(), loader), is(Optional.of("flaky upstream")));
    assertThat(exclusions.reasonFor("a.B", "d", Set.of(), loader), is(Optional.empty()));
  }

  @Test
  void aModeQualifiedLineAppliesOnlyInItsMode() {
    List<String> lines = List.of("test@streaming:a.B#c | not in streaming yet", "test:a.B#d | never");
    Exclusions streaming = Exclusions.parse(lines, loader, "streaming");
    Exclusions batch = Exclusions.parse(lines, loader, "batch");
    assertThat(streaming.reasonFor("a.B", "c", Set.of(), loader), is(Optional.of("not in streaming yet")));
    assertThat(batch.reasonFor("a.B", "c", Set.of(), loader), is(Optional.empty()));
    assertThat(batch.reasonFor("a.B", "d", Set.of(), loader), is(Optional.of("never")));
    Exclusions smallBatches = Exclusions.parse(lines, loader, "streaming-small-batches");
    assertThat(
        smallBatches.reasonFor("a.B", "c", Set.of(), loader), is(Optional.of("not in streaming yet")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Exclusions.parse(List.of("test@nightly:a.B#c | typo"), loader, "batch"));
  }

  @Test
  void refusesALineWithoutReason() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Exclusions.parse(List.of("category:org.apache.beam.sdk.testing.UsesTestStream"), loader));
    assertThat(e.getMessage(), containsString("line 1"));
  }

  @Test
  void theProjectExclusionsFileParsesAndEveryLineHasAReason() throws Exception {
    Exclusions exclusions =
        Exclusions.load(Path.of(System.getProperty("vr.exclusions")), loader, null);
    for (Exclusions.Rule rule : exclusions.rules()) {
      assertThat(rule.toString(), rule.reason().length() > 10, is(true));
    }
  }
}
