package org.fewstep.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Spec}. Oracle: the spec grammar ({@code name[:[positional,]key=value,...]}) applied
 * by hand to literal specs, and a jqwik property that {@code parse(toString())} reproduces a generated
 * spec including the order of its keys.
 */
class SpecTest {

  @Test
  void nameOnly() {
    Spec s = Spec.parse("euler");
    assertThat(s.name()).isEqualTo("euler");
    assertThat(s.positional()).isNull();
    assertThat(s.values()).isEmpty();
    assertThat(s.toString()).isEqualTo("euler");
  }

  @Test
  void keyValuePairsKeepTheirOrder() {
    Spec s = Spec.parse("dpmpp:steps=10,order=2,eta=0.5");
    assertThat(s.name()).isEqualTo("dpmpp");
    assertThat(s.positional()).isNull();
    assertThat(new ArrayList<>(s.values().keySet())).containsExactly("steps", "order", "eta");
    assertThat(s.values()).containsEntry("steps", "10").containsEntry("order", "2").containsEntry("eta", "0.5");
    assertThat(s.toString()).isEqualTo("dpmpp:steps=10,order=2,eta=0.5");
  }

  @Test
  void positionalFirstValue() {
    Spec s = Spec.parse("gmm:models/mix.json,scale=2");
    assertThat(s.name()).isEqualTo("gmm");
    assertThat(s.positional()).isEqualTo("models/mix.json");
    assertThat(s.values()).containsExactly(Map.entry("scale", "2"));
    assertThat(Spec.parse("gmm:C:/x.json").positional()).isEqualTo("C:/x.json"); // only the first ':' splits
  }

  @Test
  void whitespaceIsTrimmed() {
    Spec s = Spec.parse("  dpmpp : order = 2 ,  steps=10\t");
    assertThat(s.name()).isEqualTo("dpmpp");
    assertThat(s.values()).containsExactly(Map.entry("order", "2"), Map.entry("steps", "10"));
    assertThat(Spec.parse(" gmm :  a.json , k=v").positional()).isEqualTo("a.json");
  }

  @Test
  void valuesAreUnmodifiableCopies() {
    Map<String, String> values = new LinkedHashMap<>(Map.of("k", "v"));
    Spec s = new Spec("n", null, values);
    values.put("other", "x");
    assertThat(s.values()).containsOnlyKeys("k");
    assertThatThrownBy(() -> s.values().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void emptyOrBlankSpecIsRejected() {
    assertThatThrownBy(() -> Spec.parse("")).isInstanceOf(BadInputException.class).hasMessageContaining("spec = ''");
    assertThatThrownBy(() -> Spec.parse("   ")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Spec.parse(null)).isInstanceOf(BadInputException.class);
  }

  @Test
  void emptyNameIsRejected() {
    assertThatThrownBy(() -> Spec.parse(":order=2"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("':order=2'")
        .hasMessageContaining("a component name before ':'");
    assertThatThrownBy(() -> Spec.parse("  : a")).isInstanceOf(BadInputException.class);
  }

  @Test
  void emptyKeyOrValueIsRejected() {
    assertThatThrownBy(() -> Spec.parse("dpmpp:order="))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'order='")
        .hasMessageContaining("a non-empty key and value");
    assertThatThrownBy(() -> Spec.parse("dpmpp:order= ,steps=2")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Spec.parse("dpmpp:=2"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'=2'");
  }

  @Test
  void duplicateKeyIsRejected() {
    assertThatThrownBy(() -> Spec.parse("dpmpp:order=2,steps=5,order=3"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("spec 'dpmpp:order=2,steps=5,order=3': the key 'order' is given twice");
  }

  @Test
  void itemWithoutEqualsIsRejectedUnlessFirst() {
    assertThatThrownBy(() -> Spec.parse("dpmpp:order=2,steps"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'steps'")
        .hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> Spec.parse("gmm:a.json,b.json")).isInstanceOf(BadInputException.class).hasMessageContaining("'b.json'");
    assertThatThrownBy(() -> Spec.parse("dpmpp:")).isInstanceOf(BadInputException.class); // empty first item
    assertThatThrownBy(() -> Spec.parse("dpmpp:order=2,")).isInstanceOf(BadInputException.class); // trailing comma
    assertThatThrownBy(() -> Spec.parse("dpmpp:order=2,,steps=3")).isInstanceOf(BadInputException.class);
  }

  // ---- property: parse(toString()) is the identity ------------------------------------------------

  @Property(tries = 500, seed = "20261127")
  void parseOfToStringReproducesTheSpec(@ForAll("specs") Spec spec) {
    Spec back = Spec.parse(spec.toString());
    assertThat(back).isEqualTo(spec);
    assertThat(new ArrayList<>(back.values().keySet())).containsExactlyElementsOf(spec.values().keySet());
    // surrounding whitespace does not matter either
    assertThat(Spec.parse("  " + spec + " ")).isEqualTo(spec);
  }

  @Provide
  Arbitrary<Spec> specs() {
    Arbitrary<String> names = identifiers();
    Arbitrary<String> positional = values().injectNull(0.3);
    Arbitrary<Map<String, String>> pairs = identifiers().list().uniqueElements().ofMaxSize(5)
        .flatMap(keys -> values().list().ofSize(keys.size()).map(vals -> {
          Map<String, String> m = new LinkedHashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), vals.get(i));
          }
          return m;
        }));
    return Combinators.combine(names, positional, pairs).as(Spec::new);
  }

  /** Kebab-case identifiers: a letter, then letters, digits, '-', '_' or '.'. */
  private static Arbitrary<String> identifiers() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z');
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("-_.")
        .ofMaxLength(8);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  /** Values: no ',', '=' or ':', not blank, no surrounding whitespace (inner spaces allowed). */
  private static Arbitrary<String> values() {
    return Arbitraries.strings().withCharRange('!', '~').withChars(" äσ").ofMinLength(1).ofMaxLength(12)
        .map(s -> s.replace(",", "").replace("=", "").replace(":", "").strip())
        .filter(s -> !s.isEmpty());
  }
}
