package org.fewstep.text.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

class SymbolTokenizerTest {
  private final SymbolTokenizer tokenizer = new SymbolTokenizer(List.of("the", "dog", "über", "(", ")"), true);

  @Test
  void symbolIdsAreTheirIndexAndTheEndTokenComesLast() {
    Vocabulary v = tokenizer.vocabulary();
    assertThat(tokenizer.name()).isEqualTo("symbol");
    assertThat(v.size()).isEqualTo(6);
    assertThat(v.eos()).isEqualTo(5);
    assertThat(v.isSpecial(5)).isTrue();
    assertThat(v.isSpecial(0)).isFalse();
    assertThat(v.text(5)).isEqualTo("</s>");
    assertThat(v.bytes(2)).isEqualTo("über".getBytes(StandardCharsets.UTF_8));
    assertThat(new SymbolTokenizer(List.of("a"), false).vocabulary().eos()).isEqualTo(-1);
  }

  @Test
  void encodeSplitsOnAnyWhitespaceAndDecodeJoinsWithOneSpace() {
    assertThat(tokenizer.encode("  the\tdog\n( über )  ")).containsExactly(0, 1, 3, 2, 4);
    assertThat(tokenizer.encode(" \n ")).isEmpty();
    assertThat(tokenizer.decode(new int[] {0, 1, 3, 2, 4, 5})).isEqualTo("the dog ( über )");
    assertThat(tokenizer.decode(new int[] {5})).isEmpty();
    assertThat(tokenizer.decode(tokenizer.encode("the  dog"))).isEqualTo("the dog");
  }

  @Test
  void unknownPiecesNameThePieceItsPositionAndValidSymbols() {
    assertThatThrownBy(() -> tokenizer.encode("the cat"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("text piece 1 (at character 4) = \"cat\": expected one of the 5 symbols, e.g. \"the\", \"dog\","
            + " \"über\", \"(\", \")\"");
    assertThatThrownBy(() -> tokenizer.encode("</s>")).hasMessageContaining("text piece 0 (at character 0) = \"</s>\"");
    assertThatThrownBy(() -> tokenizer.decode(new int[] {0, 6})).hasMessageContaining("tokens[1] = 6");
  }

  @Test
  void badSymbolsAreRejected() {
    assertThatThrownBy(() -> new SymbolTokenizer(List.of("a", "b c"), false))
        .hasMessage("symbol 1 = \"b c\": expected a non-empty symbol without whitespace");
    assertThatThrownBy(() -> new SymbolTokenizer(List.of(""), false)).hasMessageContaining("symbol 0 = \"\"");
    assertThatThrownBy(() -> new SymbolTokenizer(List.of("a", "b", "a"), false))
        .hasMessage("symbol 2 = \"a\": expected a symbol distinct from symbol 0");
    assertThatThrownBy(() -> new SymbolTokenizer(List.of("</s>"), true))
        .hasMessageContaining("expected a symbol other than the end token </s>");
  }
}
