package dev.microbatch.translation.translators;

import dev.microbatch.translation.TranslationContext;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;

/**
 * Which ParDos see only stable input (a batch's input once the checkpoint covering it is durable,
 * the same input again after a restore). Those annotated {@code @RequiresStableInput}, always;
 * and, in streaming runs with checkpoints, the step of Beam's {@code WriteFiles} that renames
 * temporary files to final names. That step is not annotated (runners with a durable shuffle give
 * it stable input anyway), but it is the one that makes a file visible: fed from a batch that a
 * crash then replays differently, it would publish panes the replay splits otherwise, and records
 * would appear twice. Fed stable input, a replay renames the same files to the same names.
 */
public final class StableInputPolicy {
  // Matched by name: the class is private to WriteFiles (a test checks it still exists).
  static final Set<String> FILE_FINALIZING_FNS =
      Set.of("org.apache.beam.sdk.io.WriteFiles$FinalizeTempFileBundles$FinalizeFn");

  private StableInputPolicy() {}

  /** Whether {@code fn} is annotated to require stable input, whatever the run. */
  public static boolean annotated(DoFn<?, ?> fn) {
    return DoFnSignatures.signatureForDoFn(fn).processElement().requiresStableInput();
  }

  /** Whether the ParDo of {@code fn} gets a stable-input stage in front of it in this run. */
  public static boolean stableInputFor(DoFn<?, ?> fn, TranslationContext context) {
    return annotated(fn) || checkpointedStreaming(context) && finalizesFiles(fn);
  }

  private static boolean checkpointedStreaming(TranslationContext context) {
    return context.isStreaming() && context.engine().config().checkpoint() != null;
  }

  private static boolean finalizesFiles(DoFn<?, ?> fn) {
    return FILE_FINALIZING_FNS.contains(fn.getClass().getName());
  }
}
