package org.fewstep.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Registry}, {@link Component}, {@link Option} and {@link Options} with a test
 * component whose options cover every kind. Oracle: the declared defaults, ranges and choices, and
 * the exact messages the contract promises (parameter, value and expectation; the list of valid names
 * and keys; the closest name by edit distance).
 */
class RegistryTest {

  /** What the test component builds. */
  record Demo(String file, int order, double eta, String method, boolean denoise, String label) {}

  private static final Component<Object> DEMO = new Component<>(
      "demo", "a test component", "nobody (2025)",
      List.of(
          Option.integer("order", 2, 1, 3, "solver order"),
          Option.real("eta", 0.5, 0.0, 1.0, "noise fraction"),
          Option.choice("method", "Heun", "corrector", "Heun", "euler", "DPM"),
          Option.flag("denoise", false, "final denoising step"),
          Option.text("label", null, "a label"),
          Option.text("file", null, "model file").asRequiredPositional()),
      o -> new Demo(o.get("file"), o.getInt("order"), o.getDouble("eta"), o.get("method"), o.getBool("denoise"),
          o.isSet("label") ? o.get("label") : null));

  private static Component<Object> plain(String name) {
    return new Component<>(name, name + " sampler", "ref", List.of(Option.integer("steps", 10, 1, 1000, "steps")),
        o -> name + "/" + o.getInt("steps"));
  }

  private static Registry<Object> registry() {
    return new Registry<>("sampler").register(DEMO).register(plain("dpmpp")).register(plain("euler"))
        .register(plain("heun"));
  }

  // ---- values ------------------------------------------------------------------------------------

  @Test
  void defaultsApplyWhenNotGiven() {
    Options o = registry().parse("demo:model.json");
    assertThat(o.getInt("order")).isEqualTo(2);
    assertThat(o.getDouble("eta")).isEqualTo(0.5);
    assertThat(o.get("method")).isEqualTo("Heun");
    assertThat(o.getBool("denoise")).isFalse();
    assertThat(o.get("file")).isEqualTo("model.json");
    assertThat(o.isSet("label")).isFalse();
    assertThat(o.isGiven("order")).isFalse();
    assertThat(o.isGiven("file")).isTrue();
    assertThat(o.given()).containsExactly(Map.entry("file", "model.json"));
    assertThatThrownBy(() -> o.get("label"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("demo: the option 'label' is required");
    assertThat(o.component()).isEqualTo("demo");
    assertThat(o.declares("eta")).isTrue();
    assertThat(o.declares("nope")).isFalse();
  }

  @Test
  void valuesAreCanonicalised() {
    Options o = registry().parse("demo:m.json,method=dpm,denoise=on,order=03,eta=5e-1");
    assertThat(o.get("method")).isEqualTo("DPM"); // case-insensitive -> declared spelling
    assertThat(o.get("denoise")).isEqualTo("true");
    assertThat(o.getInt("order")).isEqualTo(3);
    assertThat(o.get("order")).isEqualTo("3");
    assertThat(o.getDouble("eta")).isEqualTo(0.5);
    assertThat(o.spec()).isEqualTo("demo:file=m.json,method=DPM,denoise=true,order=3,eta=5e-1");
    assertThat(registry().parse(o.spec()).given()).isEqualTo(o.given()); // the canonical spec parses back
    assertThat(o.toString()).isEqualTo(o.spec());

    for (String on : List.of("1", "on", "YES", "True")) {
      assertThat(registry().parse("demo:f,denoise=" + on).getBool("denoise")).as(on).isTrue();
    }
    for (String off : List.of("0", "off", "No", "FALSE")) {
      assertThat(registry().parse("demo:f,denoise=" + off).getBool("denoise")).as(off).isFalse();
    }
    assertThat(registry().parse("demo:f,method=EULER").get("method")).isEqualTo("euler");
  }

  @Test
  void createBuildsThroughTheFactory() {
    Object built = registry().create("demo:x.npz,order=1,eta=0.25,label=hello,denoise=yes");
    assertThat(built).isEqualTo(new Demo("x.npz", 1, 0.25, "Heun", true, "hello"));
    assertThat(registry().create("demo:file=y.npz")).isEqualTo(new Demo("y.npz", 2, 0.5, "Heun", false, null));
    assertThat(registry().create("euler:steps=7")).isEqualTo("euler/7");
    assertThat(registry().create(" dpmpp ")).isEqualTo("dpmpp/10");
  }

  // ---- unknown names and keys --------------------------------------------------------------------

  @Test
  void unknownNameListsValidNamesAndSuggestsTheClosest() {
    assertThatThrownBy(() -> registry().create("dpmp"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown sampler 'dpmp' (did you mean 'dpmpp'?); valid samplers: demo, dpmpp, euler, heun");
    assertThatThrownBy(() -> registry().create("hune:steps=3"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("(did you mean 'heun'?)");
    assertThatThrownBy(() -> registry().create("EULER"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("(did you mean 'euler'?)");
    // a prefix too short for edit distance < 3 still gets the name it starts
    assertThatThrownBy(() -> registry().parse("dp"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("(did you mean 'dpmpp'?)");
    assertThatThrownBy(() -> registry().create("runge-kutta"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown sampler 'runge-kutta'; valid samplers: demo, dpmpp, euler, heun");
  }

  @Test
  void suggestionPicksTheSmallestEditDistance() {
    assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Names.distance("", "abc")).isEqualTo(3);
    assertThat(Names.distance("flaw", "lawn")).isEqualTo(2);
    assertThat(Names.suggestion("ordr", List.of("eta", "order", "orders"))).isEqualTo(" (did you mean 'order'?)");
    assertThat(Names.suggestion("zzzzzz", List.of("eta", "order"))).isEmpty();
  }

  @Test
  void unknownKeyListsValidKeys() {
    assertThatThrownBy(() -> registry().parse("demo:f.json,ordr=2"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("demo: unknown option 'ordr' (did you mean 'order'?); valid options: "
            + "[order, eta, method, denoise, label, file]");
  }

  // ---- invalid values ----------------------------------------------------------------------------

  @Test
  void outOfRangeAndNonNumbersNameParameterValueAndExpectation() {
    assertBad("demo:f,order=4", "demo:order = 4: expected an integer in [1, 3]");
    assertBad("demo:f,order=0", "demo:order = 0: expected an integer in [1, 3]");
    assertBad("demo:f,order=two", "demo:order = two: expected an integer in [1, 3]");
    assertBad("demo:f,order=2.5", "demo:order = 2.5: expected an integer in [1, 3]");
    assertBad("demo:f,eta=1.5", "demo:eta = 1.5: expected a number in [0, 1]");
    assertBad("demo:f,eta=-0.1", "demo:eta = -0.1: expected a number in [0, 1]");
    assertBad("demo:f,eta=NaN", "demo:eta = NaN: expected a number in [0, 1]");
    assertBad("demo:f,eta=lots", "demo:eta = lots: expected a number in [0, 1]");
    assertBad("euler:steps=1001", "euler:steps = 1001: expected an integer in [1, 1000]");
  }

  @Test
  void badChoiceAndFlagListWhatIsAllowed() {
    assertBad("demo:f,method=rk4", "demo:method = rk4: expected one of [Heun, euler, DPM]");
    assertBad("demo:f,denoise=maybe", "demo:denoise = maybe: expected true or false");
  }

  @Test
  void missingRequiredOptionIsNamed() {
    assertBad("demo", "demo: the option 'file' is required (model file)");
    assertBad("demo:order=2", "demo: the option 'file' is required (model file)");
  }

  @Test
  void positionalNeedsAPositionalOptionAndMayNotBeRepeated() {
    assertThatThrownBy(() -> registry().parse("euler:fast"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("euler spec item = 'fast': expected key=value with a key in [steps]");
    assertBad("demo:a.json,file=b.json", "demo: the option 'file' is given twice");
  }

  // ---- Options ----------------------------------------------------------------------------------

  @Test
  void withDefaultsOverridesOnlyKeysThatWereNotGiven() {
    Options o = registry().parse("demo:f.json,order=3");
    Options preset = o.withDefaults(Map.of("order", "1", "eta", "0.75", "method", "dpm"));
    assertThat(preset.getInt("order")).isEqualTo(3); // given: kept
    assertThat(preset.getDouble("eta")).isEqualTo(0.75); // not given: new default
    assertThat(preset.get("method")).isEqualTo("DPM"); // validated and canonical
    assertThat(preset.getBool("denoise")).isFalse(); // untouched default
    assertThat(preset.given()).isEqualTo(o.given());
    assertThat(o.getDouble("eta")).isEqualTo(0.5); // the original is unchanged

    assertThatThrownBy(() -> o.withDefaults(Map.of("eta", "2")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("demo:eta = 2: expected a number in [0, 1]");
    assertThatThrownBy(() -> o.withDefaults(Map.of("nope", "1"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readingAnUndeclaredKeyIsAProgrammingError() {
    Options o = registry().parse("euler");
    assertThatThrownBy(() -> o.get("order"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("euler declares no option 'order'");
    assertThatThrownBy(() -> o.isGiven("order")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void defaultsOfAComponentWithoutRequiredOptions() {
    Options o = Options.defaults(plain("euler"));
    assertThat(o.getInt("steps")).isEqualTo(10);
    assertThat(o.given()).isEmpty();
    assertThat(o.spec()).isEqualTo("euler");
    assertThatThrownBy(() -> Options.defaults(DEMO)).isInstanceOf(BadInputException.class).hasMessageContaining("'file'");
  }

  // ---- the registry itself -------------------------------------------------------------------------

  @Test
  void registeringANameTwiceThrows() {
    Registry<Object> r = registry();
    assertThatThrownBy(() -> r.register(plain("euler")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sampler 'euler' is registered twice");
  }

  @Test
  void componentsAreListedByName() {
    Registry<Object> r = registry();
    assertThat(r.components()).extracting(Component::name).containsExactly("demo", "dpmpp", "euler", "heun");
    assertThat(r.contains("heun")).isTrue();
    assertThat(r.contains("rk4")).isFalse();
    assertThat(r.kind()).isEqualTo("sampler");
    assertThat(r.component("demo")).isSameAs(DEMO);
  }

  @Test
  void optionsDescribeTheirType() {
    assertThat(DEMO.options()).extracting(Option::describeType)
        .containsExactly("int in [1, 3]", "real in [0, 1]", "Heun|euler|DPM", "true|false", "text", "text");
    assertThat(Option.integer("n", 1, 1, Integer.MAX_VALUE, "").describeType()).isEqualTo("int >= 1");
    assertThat(Option.integer("n", 1, Integer.MIN_VALUE, 5, "").describeType()).isEqualTo("int <= 5");
    assertThat(Option.real("x", 1.5, 0, Double.POSITIVE_INFINITY, "").describeType()).isEqualTo("real in [0, inf]");
    assertThat(Option.real("x", 1.5, 0, Double.POSITIVE_INFINITY, "").defaultValue()).isEqualTo("1.5");
    assertThat(Option.real("x", 2.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "").describeType())
        .isEqualTo("real");
    assertThat(Option.real("x", 2.0, 0, 1, "").defaultValue()).isEqualTo("2");
  }

  private static void assertBad(String spec, String message) {
    assertThatThrownBy(() -> registry().parse(spec)).isInstanceOf(BadInputException.class).hasMessage(message);
  }
}
