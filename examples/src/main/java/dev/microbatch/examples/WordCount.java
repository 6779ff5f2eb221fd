package dev.microbatch.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The classic word count, a plain Beam pipeline: read text, split into words, count each word,
 * write "word: count" lines. Run it on any runner, e.g. {@code --runner=MicroBatchRunner}. Without
 * {@code --inputFile} it counts a small text bundled with the examples.
 */
public final class WordCount {

  /** Options of the word count. */
  public interface Options extends PipelineOptions {
    @Description("Text file (or glob) to count; empty for the bundled sample text")
    @Default.String("")
    String getInputFile();

    void setInputFile(String value);

    @Description("Prefix of the output files")
    @Default.String("target/wordcount/counts")
    String getOutput();

    void setOutput(String value);
  }

  private WordCount() {}

  /** Adds the word count to {@code pipeline}. */
  static void build(Pipeline pipeline, String inputFile, String output) {
    pipeline
        .apply("ReadLines", TextIO.read().from(inputFile))
        .apply(
            "ExtractWords",
            FlatMapElements.into(TypeDescriptors.strings())
                .via((String line) -> Arrays.asList(line.toLowerCase().split("[^\\p{L}']+"))))
        .apply("DropEmpty", Filter.by((String word) -> !word.isEmpty()))
        .apply("CountWords", Count.perElement())
        .apply(
            "Format",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, Long> count) -> count.getKey() + ": " + count.getValue()))
        .apply("WriteCounts", TextIO.write().to(output).withSuffix(".txt"));
  }

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    String input = options.getInputFile().isEmpty() ? bundledSample() : options.getInputFile();
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, input, options.getOutput());
    System.out.println("Word count on " + options.getRunner().getSimpleName() + " reading " + input);
    pipeline.run().waitUntilFinish();
    printTop(Path.of(options.getOutput()).toAbsolutePath().getParent(), 10);
  }

  /** The bundled sample text as a file TextIO can read. */
  private static String bundledSample() throws IOException {
    URL resource = WordCount.class.getResource("/microbatch-notes.txt");
    if (resource == null) {
      throw new IllegalStateException("The bundled sample text is missing from the classpath");
    }
    Path copy = Files.createTempFile("microbatch-notes", ".txt");
    copy.toFile().deleteOnExit();
    try (InputStream in = resource.openStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy.toString();
  }

  private static void printTop(Path outputDir, int n) throws IOException {
    List<String> lines;
    try (Stream<Path> files = Files.list(outputDir)) {
      lines =
          files
              .filter(p -> p.getFileName().toString().endsWith(".txt"))
              .flatMap(WordCount::readLines)
              .sorted(
                  Comparator.comparingLong(WordCount::countOf)
                      .reversed()
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
    }
    System.out.println(lines.size() + " distinct words; the " + n + " most frequent:");
    lines.stream().limit(n).forEach(line -> System.out.println("  " + line));
  }

  private static Stream<String> readLines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long countOf(String line) {
    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
  }
}
