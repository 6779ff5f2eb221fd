package dev.microbatch.vr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed exclusions file. Each non-comment line is {@code category:<class> | <reason>} (every
 * test whose JUnit 4 category is that class or a subtype of it) or {@code test:<class>#<method> |
 * <reason>} (one test; {@code test:<class> | <reason>} for every test of a class). A kind may name the one mode it applies to, as in {@code
 * category@streaming:<class> | <reason>} (a mode's variants, such as streaming-small-batches, are
 * covered by it); without one, a line applies to every mode. A line without
 * a reason is an error, so nothing is excluded silently.
 */
final class Exclusions {

  /** The modes the suite runs in (see the surefire executions in pom.xml). */
  static final List<String> MODES =
      List.of(
          "batch",
          "streaming",
          "streaming-small-batches",
          "streaming-restore-every-batch",
          "needs-runner");

  /** One excluded category or test and why. */
  record Rule(String kind, String target, String reason) {}

  private final List<Rule> rules;
  private final List<Class<?>> categories = new ArrayList<>();

  private Exclusions(List<Rule> rules, ClassLoader loader) {
    this.rules = List.copyOf(rules);
    for (Rule rule : rules) {
      if (rule.kind().equals("category")) {
        try {
          categories.add(Class.forName(rule.target(), false, loader));
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException("Excluded category not found: " + rule.target(), e);
        }
      }
    }
  }

  static Exclusions parse(List<String> lines, ClassLoader loader) {
    return parse(lines, loader, null);
  }

  /** The rules of {@code mode} (and those of every mode); a null mode keeps every rule. */
  static Exclusions parse(List<String> lines, ClassLoader loader, String mode) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int bar = line.indexOf('|');
      int colon = line.indexOf(':');
      if (bar < 0 || colon < 0 || colon > bar || line.substring(bar + 1).isBlank()) {
        throw new IllegalArgumentException(
            "Exclusions line " + (i + 1) + " must be 'category:<class> | <reason>' or "
                + "'test:<class>#<method> | <reason>', got: " + line);
      }
      String kind = line.substring(0, colon).strip();
      int at = kind.indexOf('@');
      String ruleMode = at < 0 ? null : kind.substring(at + 1);
      kind = at < 0 ? kind : kind.substring(0, at);
      if (ruleMode != null && !MODES.contains(ruleMode)) {
        throw new IllegalArgumentException(
            "Exclusions line " + (i + 1) + " names unknown mode " + ruleMode + " " + MODES);
      }
      // A rule for a mode also covers its variants: @streaming applies to streaming-small-batches.
      if (mode != null && ruleMode != null && !mode.startsWith(ruleMode)) {
        continue;
      }
      if (!kind.equals("category") && !kind.equals("test")) {
        throw new IllegalArgumentException("Exclusions line " + (i + 1) + " has unknown kind " + kind);
      }
      rules.add(new Rule(kind, line.substring(colon + 1, bar).strip(), line.substring(bar + 1).strip()));
    }
    return new Exclusions(rules, loader);
  }

  static Exclusions load(Path file, ClassLoader loader, String mode) throws IOException {
    return parse(Files.readAllLines(file), loader, mode);
  }

  /** The reason a test with these categories (class names) is excluded, if it is. */
  Optional<String> reasonFor(String testClass, String method, Set<String> categoryNames, ClassLoader loader) {
    for (Rule rule : rules) {
      boolean matches =
          rule.target().equals(testClass + "#" + method) || rule.target().equals(testClass);
      if (rule.kind().equals("test") && matches) {
        return Optional.of(rule.reason());
      }
    }
    for (String name : categoryNames) {
      Class<?> category;
      try {
        category = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        continue;
      }
      for (int i = 0; i < categories.size(); i++) {
        if (categories.get(i).isAssignableFrom(category)) {
          return Optional.of(reasonForCategory(categories.get(i)));
        }
      }
    }
    return Optional.empty();
  }

  private String reasonForCategory(Class<?> category) {
    for (Rule rule : rules) {
      if (rule.kind().equals("category") && rule.target().equals(category.getName())) {
        return category.getSimpleName() + ": " + rule.reason();
      }
    }
    throw new IllegalStateException("unreachable");
  }

  List<Rule> rules() {
    return rules;
  }
}
