package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @RequiresStableInput} across a SIGKILL: the child ({@link StableInputPipeline}) is killed
 * right after the DoFn's first side effect, before any checkpoint records that the DoFn ran; the
 * restarted child replays the buffered element with the same random key, so one side effect
 * remains.
 */
class StableInputCrashTest {
  @TempDir Path temp;

  @Test
  void aRestartAfterSigkillHandsTheDoFnTheSameInputAgain() throws Exception {
    String sideEffects = temp.toString();
    String checkpoints = temp.resolve("checkpoints").toUri().toString();
    ChildJvm first = ChildJvm.start(StableInputPipeline.class, List.of(sideEffects, checkpoints));
    assertTrue(first.awaitLine("SIDE EFFECT WRITTEN", 120), first::output);
    first.kill();

    ChildJvm second = ChildJvm.start(StableInputPipeline.class, List.of(sideEffects, checkpoints));
    assertTrue(second.awaitExit(120), second::output);
    assertThat(second.output(), second.exitValue(), equalTo(0));

    List<Path> written;
    try (Stream<Path> files = Files.list(temp)) {
      written = files.filter(f -> f.getFileName().toString().startsWith("side-effect-")).toList();
    }
    assertThat(written.toString(), written.size(), equalTo(1));
    assertThat(Files.readString(written.get(0), StandardCharsets.UTF_8), equalTo("value"));
  }
}
