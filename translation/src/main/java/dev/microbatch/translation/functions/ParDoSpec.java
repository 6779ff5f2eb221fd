package dev.microbatch.translation.functions;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Everything needed to run one ParDo.
 *
 * @param stepName the transform's full name, used for metrics
 * @param fn the user's DoFn (instances are copies of it)
 * @param mainOutputTag the main output
 * @param outputTags every output, main first; the index of a tag is its output index
 * @param inputCoder coder of the main input's elements
 * @param outputCoders coder of each output's elements
 * @param outputWindowCoders coder of each output's windows
 * @param windowingStrategy the main input's windowing strategy
 * @param schemaInformation schema information for schema-aware DoFns
 * @param sideInputMapping side inputs by the name DoFn parameters use
 * @param sideInputs every side input view
 */
public record ParDoSpec(
    String stepName,
    DoFn<?, ?> fn,
    TupleTag<?> mainOutputTag,
    List<TupleTag<?>> outputTags,
    Coder<?> inputCoder,
    Map<TupleTag<?>, Coder<?>> outputCoders,
    Map<TupleTag<?>, Coder<? extends BoundedWindow>> outputWindowCoders,
    WindowingStrategy<?, ?> windowingStrategy,
    DoFnSchemaInformation schemaInformation,
    Map<String, PCollectionView<?>> sideInputMapping,
    List<PCollectionView<?>> sideInputs) {

  public ParDoSpec {
    outputTags = List.copyOf(outputTags);
    outputCoders = Map.copyOf(outputCoders);
    outputWindowCoders = Map.copyOf(outputWindowCoders);
    sideInputMapping = Map.copyOf(sideInputMapping);
    sideInputs = List.copyOf(sideInputs);
  }

  public boolean hasSingleOutput() {
    return outputTags.size() == 1;
  }
}
