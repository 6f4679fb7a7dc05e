package org.fewstep.text.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {
  private static final List<String> CORPUS = List.of("hello", "wörld é 😀");
  private static final CharTokenizer CHARS = CharTokenizer.fromCorpus(CORPUS);

  @Test
  void idsAreEosThenTheCorpusCodePointsInOrder() {
    // code points sorted: ' ' 0x20, d, e, h, l, o, r, w, é 0xE9, ö 0xF6, 😀 0x1F600
    assertThat(Tokenizers.tokens(CHARS)).containsExactly(" ", "d", "e", "h", "l", "o", "r", "w", "é", "ö", "😀");
    Vocabulary v = CHARS.vocabulary();
    assertThat(v.size()).isEqualTo(12);
    assertThat(v.eos()).isZero();
    assertThat(v.text(0)).isEqualTo("</s>");
    assertThat(v.isSpecial(0)).isTrue();
    assertThat(v.isSpecial(1)).isFalse();
    assertThat(CHARS.encode("hello 😀")).containsExactly(4, 3, 5, 5, 6, 1, 11);
    assertThat(CHARS.decode(new int[] {8, 10, 7, 5, 2, 0})).isEqualTo("wörld</s>");
  }

  @Test
  void aCharacterOutsideTheVocabularyIsNamedWithItsPosition() {
    assertThatThrownBy(() -> CHARS.encode("hex"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("character at index 2 = 'x' (U+0078): expected one of the 11 tokens of the char tokenizer's vocabulary");
    assertThatThrownBy(() -> CHARS.encode("😀😁")).hasMessageStartingWith("character at index 2 = '😁' (U+1F601)");
  }

  @Property(tries = 200, seed = "20261127")
  void encodeThenDecodeIsTheIdentity(@ForAll("corpusText") String text) {
    int[] ids = CHARS.encode(text);
    assertThat(ids).hasSize(text.codePointCount(0, text.length())).doesNotContain(0);
    assertThat(CHARS.decode(ids)).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> corpusText() {
    return Arbitraries.of(" ", "d", "e", "h", "l", "o", "r", "w", "é", "ö", "😀").list().ofMaxSize(20)
        .map(list -> String.join("", list));
  }

  @Test
  void restoringFromTheTokenListGivesTheSameTokenizer() {
    Tokenizer back = Tokenizers.restore("char", Tokenizers.tokens(CHARS));
    assertThat(back.vocabulary().sameAs(CHARS.vocabulary())).isTrue();
    assertThat(back.encode("wörld 😀")).containsExactly(CHARS.encode("wörld 😀"));
  }

  @Test
  void malformedTokenListsAreErrors() {
    assertThatThrownBy(() -> Tokenizers.restore("char", List.of("a", "ab")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("char token 2 = 'ab': expected a single code point above the previous token's");
    assertThatThrownBy(() -> Tokenizers.restore("char", List.of("b", "a"))).hasMessageStartingWith("char token 2 = 'a'");
    assertThatThrownBy(() -> Tokenizers.restore("char", List.of(""))).hasMessageStartingWith("char token 1 = ''");
  }
}
