package dev.microbatch.translation.translators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.transforms.DoFn;
import org.junit.jupiter.api.Test;

/**
 * The file-finalizing DoFns are matched by class name: if a Beam upgrade renames one, file writes
 * would silently lose their stable input, so this fails first.
 */
class StableInputPolicyTest {
  @Test
  void everyFileFinalizingFnNamedIsABeamDoFnOfThisBeamVersion() throws Exception {
    for (String name : StableInputPolicy.FILE_FINALIZING_FNS) {
      assertThat(name + " is a DoFn", DoFn.class.isAssignableFrom(Class.forName(name)), is(true));
    }
  }
}
