package org.fewstep.data.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.data.select.Example;
import org.junit.jupiter.api.Test;

class FortunesTest {

  @Test
  void parseSplitsOnlyOnLinesThatAreExactlyPercent() {
    String text = "first line\n\tsecond 50% line\n%\n%\nnext\n% not a separator\n%\n\n";
    List<Example> e = Fortunes.parse("law", text);
    assertThat(e).hasSize(2);
    assertThat(e.get(0).text()).isEqualTo("first line\n\tsecond 50% line");
    assertThat(e.get(1).text()).isEqualTo("next\n% not a separator");
    assertThat(e.get(1).id()).isEqualTo("law:1");
    assertThat(e.get(1).labels()).containsExactly("law");
    assertThat(e.get(1).quality()).isEqualTo(1.0);
  }

  @Test
  void bundledCategoriesHaveTheirEntryCounts() {
    // counted independently (Python: re.split on '^%\n', non-blank parts)
    Map<String, Integer> counts = Map.of("education", 203, "food", 198, "law", 206, "love", 150, "medicine", 74,
        "pets", 52, "science", 625, "sports", 147, "startrek", 227, "work", 630);
    for (String c : Fortunes.CATEGORIES) {
      assertThat(Fortunes.category(c)).as(c).hasSize(counts.get(c));
    }
    List<Example> all = Fortunes.load();
    assertThat(all).hasSize(2512);
    assertThat(all.get(0).text()).startsWith("A book is the work of a mind");
    assertThat(all.stream().map(Example::id).distinct().count()).isEqualTo(2512);
  }

  @Test
  void unknownCategoryIsAClearError() {
    assertThatThrownBy(() -> Fortunes.category("offensive")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("fortune category").hasMessageContaining("offensive").hasMessageContaining("startrek");
  }
}
