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
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

  @Test
  void piecesAreWordsWithTheirSpacePunctuationAndLeftoverWhitespace() {
    assertThat(WordTokenizer.pieces("Hello, world!  It's 42.\tok  "))
        .containsExactly("Hello", ",", " world", "!", " ", " It's", " 42", ".", "\t", "ok", "  ");
    assertThat(WordTokenizer.pieces(" (a b)\n\n c")).containsExactly(" (", "a", " b", ")", "\n\n", " c");
    assertThat(WordTokenizer.pieces("l’homme 😀😀")).containsExactly("l’homme", " 😀", "😀");
    assertThat(WordTokenizer.pieces("")).isEmpty();
  }

  @Property(tries = 500, seed = "20261127")
  void piecesConcatenateToTheText(@ForAll String text) {
    assertThat(String.join("", WordTokenizer.pieces(text))).isEqualTo(text);
  }

  /**
   * Corpus pieces: "the" x2, " cat" x2, " dog" x1, "a" x1; code points ' ', a, c, d, e, g, h, o, t.
   * With minCount 2 the vocabulary is the nine code points plus "the" and " cat", sorted:
   * 1 " ", 2 " cat", 3 "a", 4 "c", 5 "d", 6 "e", 7 "g", 8 "h", 9 "o", 10 "t", 11 "the".
   */
  @Test
  void frequentPiecesAreTokensAndTheRestIsSpelled() {
    WordTokenizer words = WordTokenizer.fromCorpus(List.of("the cat", "the dog", "a cat"), 2);
    assertThat(Tokenizers.tokens(words)).containsExactly(" ", " cat", "a", "c", "d", "e", "g", "h", "o", "t", "the");
    assertThat(words.vocabulary().text(0)).isEqualTo("</s>");
    assertThat(words.vocabulary().eos()).isZero();
    assertThat(words.encode("the cat")).containsExactly(11, 2);
    assertThat(words.encode("the dog")).containsExactly(11, 1, 5, 9, 7);
    assertThat(words.encode("cat")).containsExactly(4, 3, 10);
    assertThat(words.decode(new int[] {11, 1, 5, 9, 7, 0})).isEqualTo("the dog</s>");
    assertThat(WordTokenizer.fromCorpus(List.of("the cat", "the dog", "a cat"), 1).vocabulary().size()).isEqualTo(13); // + " dog"
  }

  @Test
  void anUnknownCharacterIsNamedWithItsPosition() {
    WordTokenizer words = WordTokenizer.fromCorpus(List.of("the cat", "the dog", "a cat"), 2);
    assertThatThrownBy(() -> words.encode("the cow"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("character at index 6 = 'w' (U+0077): expected one of the 11 tokens of the word tokenizer's vocabulary");
    assertThatThrownBy(() -> WordTokenizer.fromCorpus(List.of("a"), 0)).hasMessageStartingWith("minCount = 0");
  }

  private static final List<String> CORPUS = List.of("In the beginning God created the heaven and the earth.",
      "And God said, Let there be light: and there was light.", "  tab\there 'quoted' l’homme — 😀 ok ");
  private static final WordTokenizer WORDS = WordTokenizer.fromCorpus(CORPUS, 2);

  @Property(tries = 300, seed = "20261127")
  void encodeThenDecodeIsTheIdentity(@ForAll("corpusText") String text) {
    assertThat(WORDS.decode(WORDS.encode(text))).isEqualTo(text);
  }

  /** Text made of corpus pieces and single corpus characters, so every character is known. */
  @Provide
  Arbitrary<String> corpusText() {
    List<String> pieces = CORPUS.stream().flatMap(line -> WordTokenizer.pieces(line).stream()).toList();
    List<String> chars = CORPUS.stream().flatMap(line -> line.codePoints().mapToObj(Character::toString)).toList();
    return Arbitraries.oneOf(Arbitraries.of(pieces), Arbitraries.of(chars)).list().ofMaxSize(15)
        .map(list -> String.join("", list));
  }

  @Test
  void restoringFromTheTokenListGivesTheSameTokenizer() {
    Tokenizer back = Tokenizers.restore("word", Tokenizers.tokens(WORDS));
    assertThat(back.vocabulary().sameAs(WORDS.vocabulary())).isTrue();
    assertThat(back.encode(CORPUS.get(2))).containsExactly(WORDS.encode(CORPUS.get(2)));
  }

  @Test
  void malformedTokenListsAreErrors() {
    assertThatThrownBy(() -> Tokenizers.restore("word", List.of("a b")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("word token 1 = 'a b': expected a single piece (word, punctuation or space run) sorting after the previous token");
    assertThatThrownBy(() -> Tokenizers.restore("word", List.of("b", "a"))).hasMessageStartingWith("word token 2 = 'a'");
  }
}
