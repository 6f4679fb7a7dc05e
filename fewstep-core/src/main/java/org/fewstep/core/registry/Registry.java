package org.fewstep.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fewstep.core.BadInputException;

/**
 * Named components of one kind (samplers, models, schedules, ...), built from spec strings. The
 * CLI, the server and the benchmarks all construct components here, so a component registered once
 * appears everywhere. An unknown name or key is an error that lists the valid ones.
 *
 * @param <T> what the components build
 */
public final class Registry<T> {
  private final String kind;
  private final Map<String, Component<T>> components = new TreeMap<>();

  /** @param kind what the components are, for messages ("sampler", "model") */
  public Registry(String kind) {
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }

  /** Adds a component; its name must be new. */
  public Registry<T> register(Component<T> component) {
    if (components.putIfAbsent(component.name(), component) != null) {
      throw new IllegalStateException(kind + " '" + component.name() + "' is registered twice");
    }
    return this;
  }

  /** Builds the component described by {@code spec}. */
  public T create(String spec) {
    Spec parsed = Spec.parse(spec);
    return component(parsed.name()).create(parsed);
  }

  /** Validates {@code spec} and returns its options without building anything. */
  public Options parse(String spec) {
    Spec parsed = Spec.parse(spec);
    return component(parsed.name()).parse(parsed);
  }

  /** The component called {@code name}. */
  public Component<T> component(String name) {
    Component<T> c = components.get(name);
    if (c == null) {
      throw new BadInputException("unknown " + kind + " '" + name + "'" + Names.suggestion(name, components.keySet())
          + "; valid " + kind + "s: " + String.join(", ", components.keySet()));
    }
    return c;
  }

  public boolean contains(String name) {
    return components.containsKey(name);
  }

  /** All components, sorted by name. */
  public List<Component<T>> components() {
    return Collections.unmodifiableList(new ArrayList<>(components.values()));
  }
}
