package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.GraphCheckpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a checkpoint with the graph about to restore it, by unit name: a unit only in the
 * checkpoint (removed or renamed), only in the graph (added or renamed), or in both with another
 * fingerprint (a changed coder, another split count) is a difference, and so is another
 * parallelism.
 */
final class CompatibilityCheck {
  private CompatibilityCheck() {}

  /** What differs; empty when the checkpoint restores as it is. */
  static List<String> differences(
      GraphCheckpoint saved, List<GraphCheckpoint.Unit> current, int parallelism) {
    List<String> differences = new ArrayList<>();
    if (saved.parallelism() != parallelism) {
      differences.add(
          "parallelism: the checkpoint was written with "
              + saved.parallelism()
              + " partitions, this run has "
              + parallelism
              + " (keys are placed by it; run with the same parallelism)");
    }
    Map<String, GraphCheckpoint.Unit> before = byName(saved.units());
    Map<String, GraphCheckpoint.Unit> now = byName(current);
    for (GraphCheckpoint.Unit unit : saved.units()) {
      GraphCheckpoint.Unit matching = now.get(unit.name());
      if (matching == null) {
        differences.add(describe(unit) + " is in the checkpoint but not in this pipeline (removed or renamed)");
      } else if (matching.kind() != unit.kind()) {
        differences.add(describe(unit) + " is now " + describe(matching));
      } else if (!matching.fingerprint().equals(unit.fingerprint())) {
        differences.add(
            describe(unit)
                + " changed: the checkpoint has ["
                + unit.fingerprint()
                + "], this pipeline ["
                + matching.fingerprint()
                + "]");
      }
    }
    for (GraphCheckpoint.Unit unit : current) {
      if (!before.containsKey(unit.name())) {
        differences.add(describe(unit) + " is new: the checkpoint has nothing for it (added or renamed)");
      }
    }
    return differences;
  }

  /** The units whose saved state can be restored: same name, kind and fingerprint. */
  static Set<String> restorable(GraphCheckpoint saved, List<GraphCheckpoint.Unit> current) {
    Map<String, GraphCheckpoint.Unit> now = byName(current);
    Set<String> names = new LinkedHashSet<>();
    for (GraphCheckpoint.Unit unit : saved.units()) {
      if (unit.equals(now.get(unit.name()))) {
        names.add(unit.name());
      }
    }
    return names;
  }

  private static String describe(GraphCheckpoint.Unit unit) {
    return (unit.kind() == GraphCheckpoint.Kind.INPUT ? "input '" : "stateful transform '")
        + unit.name()
        + "'";
  }

  private static Map<String, GraphCheckpoint.Unit> byName(List<GraphCheckpoint.Unit> units) {
    Map<String, GraphCheckpoint.Unit> map = new LinkedHashMap<>();
    for (GraphCheckpoint.Unit unit : units) {
      map.put(unit.name(), unit);
    }
    return map;
  }
}
