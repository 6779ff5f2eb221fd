package dev.microbatch.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md section 1, checked on the sibling modules' source
 * trees: dependencies point one way only (engine <- io <- translation <- runner), the engine knows
 * nothing of Beam, and the engine holds no static mutable state. Code is read textually (comments
 * and string literals blanked): an import and a fully qualified name count alike. Each tree must
 * exist and hold sources, so a wrong path fails instead of passing on nothing.
 */
class ModuleDependencyRulesTest {
  // A qualified name: dotted identifiers, not preceded by an identifier character or a dot.
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("(?<![\\w.$])([a-z_][\\w$]*(?:\\.[\\w$]+)+)");
  private static final int MINIMUM_SOURCES = 5;
  private static final Pattern TYPE_DECLARATION =
      Pattern.compile("\\b(class|interface|enum|record)\\b");
  private static final Pattern WORD = Pattern.compile("[\\w$]+");

  /** Surefire runs tests in the module directory, so the siblings are one level up. */
  private static final Path MODULES = Paths.get(System.getProperty("user.dir")).getParent();

  @Test
  void engineDoesNotDependOnBeamOrOnLaterModules() {
    assertNoImports(
        "engine", "org.apache.beam", "dev.microbatch.io", "dev.microbatch.translation",
        "dev.microbatch.runner");
  }

  @Test
  void streamingDependsOnTheEngineAloneNotOnBeam() {
    assertNoImports(
        "streaming", "org.apache.beam", "dev.microbatch.io", "dev.microbatch.translation",
        "dev.microbatch.runner");
  }

  @Test
  void theUiDependsOnTheEngineAloneNotOnBeam() {
    assertNoImports(
        "ui", "org.apache.beam", "dev.microbatch.io", "dev.microbatch.translation", "dev.microbatch.runner",
        "dev.microbatch.streaming");
  }

  @Test
  void ioDoesNotDependOnTranslationOrRunner() {
    assertNoImports("io", "dev.microbatch.translation", "dev.microbatch.runner");
  }

  @Test
  void translationDoesNotDependOnRunner() {
    assertNoImports("translation", "dev.microbatch.runner");
  }

  @Test
  void engineStreamingAndUiHaveNoStaticMutableFields() {
    List<String> offenders = new ArrayList<>();
    List<Path> files = new ArrayList<>(sources(MODULES.resolve("engine/src/main/java")));
    files.addAll(sources(MODULES.resolve("streaming/src/main/java")));
    files.addAll(sources(MODULES.resolve("ui/src/main/java")));
    for (Path file : files) {
      List<String> lines = codeLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (isStaticNonFinalField(lines.get(i))) {
          offenders.add(where(file, i) + ": " + lines.get(i).trim());
        }
      }
    }
    if (!offenders.isEmpty()) {
      fail("The engine and the streaming API must not hold static mutable state; make these fields final (and their "
          + "values immutable) or instance fields:\n  " + String.join("\n  ", offenders));
    }
  }

  /** The field detector itself, so that a broken detector cannot pass every tree silently. */
  @Test
  void staticFieldDetectorFlagsOnlyNonFinalStaticFields() {
    assertTrue(isStaticNonFinalField("  private static int counter = 0;"));
    assertTrue(isStaticNonFinalField("static Map<String, List<Integer>> CACHE;"));
    assertTrue(isStaticNonFinalField("public static volatile boolean on, off;"));
    assertEquals(false, isStaticNonFinalField("private static final Logger LOG = get(\"x\");"));
    assertEquals(false, isStaticNonFinalField("static final int[] TABLE = {1, 2};"));
    assertEquals(false, isStaticNonFinalField("private static int mix(byte[] bytes) {"));
    assertEquals(false, isStaticNonFinalField("static <T> List<T> of(T t) {"));
    assertEquals(false, isStaticNonFinalField("public static final class Builder {"));
    assertEquals(false, isStaticNonFinalField("static class Holder implements A<B> {"));
    assertEquals(false, isStaticNonFinalField("static {"));
    assertEquals(false, isStaticNonFinalField("import static java.util.Objects.requireNonNull;"));
    assertEquals(false, isStaticNonFinalField("int x = staticCount;"));
  }

  /** The name detector itself: imports and qualified names in code count, text does not. */
  @Test
  void referenceDetectorFindsImportsAndQualifiedNamesOnly() {
    String[] beam = {"org.apache.beam"};
    assertEquals(List.of("org.apache.beam.sdk.Pipeline"),
        forbiddenNames("import org.apache.beam.sdk.Pipeline;", beam));
    assertEquals(List.of("org.apache.beam.sdk.values.KV"),
        forbiddenNames("Object kv = new org.apache.beam.sdk.values.KV<>();", beam));
    assertEquals(List.of("org.apache.beam"), forbiddenNames("import static org.apache.beam;", beam));
    assertEquals(List.of(), forbiddenNames("import org.apache.beamish.Thing;", beam));
    assertEquals(List.of(), forbiddenNames("int x = a.org.apache.beam;", beam));
  }

  /**
   * The engine's packages import each other one way only: streams (dstream) know nothing of how
   * batches run (exec, driver), and those nothing of the context that starts them.
   */
  @Test
  void engineHasNoCyclesBetweenPackages() throws IOException {
    Map<String, Set<String>> imports = new TreeMap<>();
    Pattern engineImport = Pattern.compile("^import dev\\.microbatch\\.engine\\.(?:([a-z]\\w*)\\.)?[A-Z]\\w*;", Pattern.MULTILINE);
    for (Path file : sources(MODULES.resolve("engine/src/main/java"))) {
      String text = Files.readString(file);
      Matcher declared = Pattern.compile("^package dev\\.microbatch\\.engine\\.?([\\w.]*);", Pattern.MULTILINE).matcher(text);
      String pkg = declared.find() && !declared.group(1).isEmpty() ? declared.group(1) : "(engine)";
      Matcher imported = engineImport.matcher(text);
      while (imported.find()) {
        String target = imported.group(1) == null ? "(engine)" : imported.group(1);
        if (!target.equals(pkg)) {
          imports.computeIfAbsent(pkg, k -> new TreeSet<>()).add(target);
        }
      }
    }
    assertTrue(imports.size() > 5, "Read too few engine packages: " + imports.keySet());
    List<String> cycles = new ArrayList<>();
    imports.forEach(
        (from, targets) -> {
          for (String to : targets) {
            if (reaches(imports, to, from)) {
              cycles.add(from + " -> " + to + " -> ... -> " + from);
            }
          }
        });
    assertEquals(List.of(), cycles, "Engine packages that import each other in a circle");
  }

  private static boolean reaches(Map<String, Set<String>> imports, String from, String target) {
    Set<String> seen = new TreeSet<>();
    List<String> pending = new ArrayList<>(List.of(from));
    while (!pending.isEmpty()) {
      String next = pending.remove(pending.size() - 1);
      for (String to : imports.getOrDefault(next, Set.of())) {
        if (to.equals(target)) {
          return true;
        }
        if (seen.add(to)) {
          pending.add(to);
        }
      }
    }
    return false;
  }

  private static void assertNoImports(String module, String... forbiddenPrefixes) {
    Path moduleDir = MODULES.resolve(module);
    assertTrue(Files.isDirectory(moduleDir), "No module directory " + moduleDir);
    List<String> offenders = new ArrayList<>();
    for (String tree : List.of("src/main/java", "src/test/java")) {
      Path root = moduleDir.resolve(tree);
      List<Path> files = tree.equals("src/main/java") ? sources(root) : javaFiles(root);
      for (Path file : files) {
        List<String> lines = codeLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).trim().startsWith("package ")) {
            continue;
          }
          for (String name : forbiddenNames(lines.get(i), forbiddenPrefixes)) {
            offenders.add(where(file, i) + ": " + name);
          }
        }
      }
    }
    if (!offenders.isEmpty()) {
      fail("Module " + module + " must not use " + String.join(", ", forbiddenPrefixes)
          + " (see docs/architecture.md section 1); found:\n  " + String.join("\n  ", offenders));
    }
  }

  /** The qualified names on a code line that fall under a forbidden prefix. */
  static List<String> forbiddenNames(String codeLine, String... forbiddenPrefixes) {
    List<String> found = new ArrayList<>();
    Matcher m = QUALIFIED_NAME.matcher(codeLine);
    while (m.find()) {
      if (startsWithAny(m.group(1), forbiddenPrefixes)) {
        found.add(m.group(1));
      }
    }
    return found;
  }

  /** The Java files of a source tree that must exist and hold at least a few sources. */
  private static List<Path> sources(Path root) {
    assertTrue(Files.isDirectory(root), "No source tree " + root + " (is the module path wrong?)");
    List<Path> files = javaFiles(root);
    assertTrue(files.size() >= MINIMUM_SOURCES,
        "Only " + files.size() + " Java files under " + root + ": the path must be wrong");
    return files;
  }

  private static boolean startsWithAny(String name, String... prefixes) {
    for (String prefix : prefixes) {
      if (name.equals(prefix) || name.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for a line that declares a static field without final. Looks at the text before the
   * first '=', ';', '(' or '{': a field declaration ends its modifiers-type-name part with '='
   * or ';' (or ',' for several names), while methods, types and static blocks reach '(' or '{'.
   */
  static boolean isStaticNonFinalField(String line) {
    String code = line.trim();
    if (code.startsWith("import ") || code.startsWith("@")) {
      return false;
    }
    int end = indexOfAny(code, "=;({");
    if (end < 0 || code.charAt(end) == '(' || code.charAt(end) == '{') {
      return false;
    }
    String head = code.substring(0, end);
    if (TYPE_DECLARATION.matcher(head).find()) {
      return false;
    }
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(head);
    while (m.find()) {
      words.add(m.group());
    }
    return words.contains("static") && !words.contains("final");
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The file's lines with comments and string/char literals blanked, line numbers kept. */
  private static List<String> codeLines(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean blockComment = false;
    boolean lineComment = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '\n') {
        lineComment = false;
        out.append(c);
      } else if (blockComment) {
        if (c == '*' && next == '/') {
          blockComment = false;
          i++;
        }
      } else if (lineComment) {
        // skip
      } else if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
          out.append(c);
        }
      } else if (c == '/' && next == '*') {
        blockComment = true;
        i++;
      } else if (c == '/' && next == '/') {
        lineComment = true;
      } else {
        if (c == '"' || c == '\'') {
          quote = c;
        }
        out.append(c);
      }
    }
    return List.of(out.toString().split("\n", -1));
  }

  private static List<Path> javaFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String where(Path file, int lineIndex) {
    return MODULES.relativize(file) + ":" + (lineIndex + 1);
  }
}
