package dev.microbatch.translation.checkpoint;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;

/**
 * Descriptions of what a checkpoint's saved state depends on, compared on restore: a coder by its
 * class, the type it encodes and its component coders (never by {@code toString}, which may hold an
 * identity hash); a DoFn's state by its state and timer declarations with their declared types.
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static String coder(Coder<?> coder) {
    StringBuilder out = new StringBuilder();
    describe(coder, out, 0);
    return out.toString();
  }

  private static void describe(Coder<?> coder, StringBuilder out, int depth) {
    if (coder == null) {
      out.append("null");
      return;
    }
    out.append(coder.getClass().getName());
    try {
      out.append('<').append(coder.getEncodedTypeDescriptor()).append('>');
    } catch (RuntimeException e) {
      // A coder whose encoded type cannot be resolved is described by its class alone.
    }
    List<? extends Coder<?>> components;
    try {
      components = coder.getCoderArguments();
    } catch (RuntimeException e) {
      components = List.of();
    }
    if (depth < 8 && components != null && !components.isEmpty()) {
      out.append('(');
      for (int i = 0; i < components.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        describe(components.get(i), out, depth + 1);
      }
      out.append(')');
    }
  }

  /** The state and timers a stateful DoFn declares, with their declared types and coders. */
  public static String doFnState(DoFn<?, ?> fn) {
    DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
    Map<String, String> state = new TreeMap<>();
    signature
        .stateDeclarations()
        .forEach(
            (id, declaration) ->
                state.put(id, typeOf(declaration.field()) + codersOf(fn, declaration.field())));
    Map<String, String> timers = new TreeMap<>();
    signature.timerDeclarations().forEach((id, declaration) -> timers.put(id, "timer"));
    signature.timerFamilyDeclarations().forEach((id, declaration) -> timers.put(id, "timer family"));
    return fn.getClass().getName() + " state=" + state + " timers=" + timers;
  }

  /** The coders a state spec holds (known once Beam has finished specifying it). */
  private static String codersOf(DoFn<?, ?> fn, Field field) {
    StateSpec<?> spec;
    try {
      field.setAccessible(true);
      spec = (StateSpec<?>) field.get(fn);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "";
    }
    if (spec == null) {
      return "";
    }
    return spec.match(
        new StateSpec.Cases<String>() {
          @Override
          public String dispatchValue(Coder<?> value) {
            return " " + coder(value);
          }

          @Override
          public String dispatchBag(Coder<?> element) {
            return " " + coder(element);
          }

          @Override
          public String dispatchOrderedList(Coder<?> element) {
            return " " + coder(element);
          }

          @Override
          public String dispatchCombining(Combine.CombineFn<?, ?, ?> fn, Coder<?> accumulator) {
            return " " + fn.getClass().getName() + " " + coder(accumulator);
          }

          @Override
          public String dispatchMap(Coder<?> key, Coder<?> value) {
            return " " + coder(key) + " " + coder(value);
          }

          @Override
          public String dispatchSet(Coder<?> element) {
            return " " + coder(element);
          }

          @Override
          public String dispatchMultimap(Coder<?> key, Coder<?> value) {
            return " " + coder(key) + " " + coder(value);
          }
        });
  }

  private static String typeOf(Field field) {
    return field.getGenericType().getTypeName();
  }
}
