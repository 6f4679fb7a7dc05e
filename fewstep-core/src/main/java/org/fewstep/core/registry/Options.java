package org.fewstep.core.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fewstep.core.BadInputException;

/**
 * The validated options of one component instance: the values given in its spec, falling back to
 * each option's default. Reading an undeclared key is a programming error.
 */
public final class Options {
  private final String component;
  private final Map<String, Option> declared;
  private final Map<String, String> given;
  private final Map<String, String> defaults;

  Options(String component, Map<String, Option> declared, Map<String, String> given, Map<String, String> defaults) {
    this.component = component;
    this.declared = declared;
    this.given = given;
    this.defaults = defaults;
  }

  /** Options of {@code component} with only defaults (for building components in code). */
  public static Options defaults(Component<?> component) {
    return component.parse(new Spec(component.name(), null, Map.of()));
  }

  public String component() {
    return component;
  }

  /** True if the component declares the key. */
  public boolean declares(String key) {
    return declared.containsKey(key);
  }

  /** True if the key was given in the spec. */
  public boolean isGiven(String key) {
    option(key);
    return given.containsKey(key);
  }

  /** True if the key was given or has a default. */
  public boolean isSet(String key) {
    return raw(key) != null;
  }

  /**
   * These options with other defaults for the keys that were not given (a preset such as
   * {@code compat=official} switching to another implementation's defaults).
   */
  public Options withDefaults(Map<String, String> presetDefaults) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    presetDefaults.forEach((key, value) -> merged.put(key, option(key).validate(component, value)));
    return new Options(component, declared, given, merged);
  }

  public String get(String key) {
    String v = raw(key);
    if (v == null) {
      throw new BadInputException(component + ": the option '" + key + "' is required");
    }
    return v;
  }

  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  public double getDouble(String key) {
    return Double.parseDouble(get(key));
  }

  public boolean getBool(String key) {
    return Boolean.parseBoolean(get(key));
  }

  /** The given values in canonical form. */
  public Map<String, String> given() {
    return Collections.unmodifiableMap(given);
  }

  /** The canonical spec: name and the given values. */
  public String spec() {
    return new Spec(component, null, given).toString();
  }

  private String raw(String key) {
    option(key);
    String v = given.get(key);
    return v != null ? v : defaults.get(key);
  }

  private Option option(String key) {
    Option o = declared.get(key);
    if (o == null) {
      throw new IllegalStateException(component + " declares no option '" + key + "'");
    }
    return o;
  }

  @Override
  public String toString() {
    return spec();
  }
}
