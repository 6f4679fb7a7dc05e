package org.fewstep.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fewstep.core.BadInputException;

/**
 * A registered component: a short name, a one-line summary, the paper it implements, its options
 * and a factory that builds an instance from validated {@link Options}.
 *
 * @param name      short name used in specs, e.g. {@code dpmpp}
 * @param summary   one line for {@code fewstep list}
 * @param reference the paper (authors, venue, year) or source it implements
 * @param options   declared options
 * @param factory   builds an instance
 * @param <T>       what the component builds
 */
public record Component<T>(String name, String summary, String reference, List<Option> options, Function<Options, T> factory) {

  public Component {
    options = List.copyOf(options);
  }

  /** Validates {@code spec} against the declared options. */
  public Options parse(Spec spec) {
    Map<String, Option> declared = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    Option positional = null;
    for (Option o : options) {
      declared.put(o.key(), o);
      if (o.defaultValue() != null) {
        defaults.put(o.key(), o.defaultValue());
      }
      if (o.positional()) {
        positional = o;
      }
    }
    Map<String, String> given = new LinkedHashMap<>();
    if (spec.positional() != null) {
      if (positional == null) {
        throw BadInputException.of(name + " spec item", "'" + spec.positional() + "'", "key=value with a key in " + declared.keySet());
      }
      given.put(positional.key(), positional.validate(name, spec.positional()));
    }
    for (Map.Entry<String, String> e : spec.values().entrySet()) {
      Option o = declared.get(e.getKey());
      if (o == null) {
        throw new BadInputException(name + ": unknown option '" + e.getKey() + "'"
            + Names.suggestion(e.getKey(), declared.keySet()) + "; valid options: " + keys());
      }
      if (given.containsKey(o.key())) {
        throw new BadInputException(name + ": the option '" + o.key() + "' is given twice");
      }
      given.put(o.key(), o.validate(name, e.getValue()));
    }
    for (Option o : options) {
      if (o.required() && !given.containsKey(o.key())) {
        throw new BadInputException(name + ": the option '" + o.key() + "' is required (" + o.help() + ")");
      }
    }
    return new Options(name, declared, given, defaults);
  }

  /** Builds an instance from a spec of this component. */
  public T create(Spec spec) {
    return factory.apply(parse(spec));
  }

  private List<String> keys() {
    List<String> keys = new ArrayList<>();
    options.forEach(o -> keys.add(o.key()));
    return keys;
  }
}
