package dev.microbatch.vr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Leaves out of the run every test that vr-exclusions.txt excludes (found through the system
 * property {@code vr.exclusions}) for the mode named by {@code vr.mode}; registered with the JUnit Platform as a service. Each excluded
 * test is appended to the file named by {@code vr.excludedReport}, for the CI tally.
 */
public final class ExclusionsFilter implements PostDiscoveryFilter {
  // Surefire may apply its group filter after this one: only tests of the mode's category (the
  // property vr.tallyCategory, ValidatesRunner by default) are tallied.
  private static final String VALIDATES_RUNNER = "org.apache.beam.sdk.testing.ValidatesRunner";
  private final Exclusions exclusions;
  private final String tallied = System.getProperty("vr.tallyCategory", VALIDATES_RUNNER);
  private final Path report;

  public ExclusionsFilter() {
    String file = System.getProperty("vr.exclusions");
    String reportName = System.getProperty("vr.excludedReport");
    try {
      this.exclusions =
          file == null
              ? null
              : Exclusions.load(
                  Path.of(file), getClass().getClassLoader(), System.getProperty("vr.mode"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the exclusions file " + file, e);
    }
    this.report = reportName == null ? null : Path.of(reportName + "-" + ProcessHandle.current().pid() + ".txt");
  }

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    if (exclusions == null || !descriptor.isTest()) {
      return FilterResult.included("not subject to exclusions");
    }
    Optional<MethodSource> source =
        descriptor.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
    String testClass = source.map(MethodSource::getClassName).orElse("");
    String method = source.map(MethodSource::getMethodName).orElse(descriptor.getDisplayName());
    Set<String> categories =
        descriptor.getTags().stream().map(TestTag::getName).collect(Collectors.toSet());
    Optional<String> reason =
        exclusions.reasonFor(testClass, method, categories, getClass().getClassLoader());
    if (reason.isEmpty()) {
      return FilterResult.included("not excluded");
    }
    boolean inMode =
        categories.contains(tallied)
            && (tallied.equals(VALIDATES_RUNNER) || !categories.contains(VALIDATES_RUNNER));
    if (inMode) {
      record(testClass + "#" + method + "\t" + reason.get());
    }
    return FilterResult.excluded(reason.get());
  }

  private synchronized void record(String line) {
    if (report == null) {
      return;
    }
    try {
      Files.createDirectories(report.getParent());
      Files.writeString(
          report, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the exclusions report " + report, e);
    }
  }
}
