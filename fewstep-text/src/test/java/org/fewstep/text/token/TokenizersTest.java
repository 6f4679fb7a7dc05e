package org.fewstep.text.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.junit.jupiter.api.Test;

class TokenizersTest {

  @Test
  void namesAreTheStorableTokenizers() {
    assertThat(Tokenizers.names()).containsExactly("cl100k", "o200k", "p50k", "r50k", "char", "word");
  }

  @Test
  void bpeTokenizersAreStoredByNameAlone() {
    Tokenizer cl = Tokenizers.bpe("cl100k");
    assertThat(Tokenizers.tokens(cl)).isEmpty();
    assertThat(Tokenizers.restore("cl100k", List.of())).isSameAs(cl);
    assertThatThrownBy(() -> Tokenizers.restore("cl100k", List.of("x")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("tokens of cl100k = 1 tokens: expected none: a BPE tokenizer is known by its name");
  }

  @Test
  void unknownNamesAndForeignTokenizersAreErrors() {
    assertThatThrownBy(() -> Tokenizers.restore("chr", List.of("a")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown tokenizer 'chr' (did you mean 'char'?); valid tokenizers: cl100k, o200k, p50k, r50k, char, word");
    Tokenizer foreign = new SymbolTokenizer(List.of("a"), false); // no end token
    assertThatThrownBy(() -> Tokenizers.tokens(foreign))
        .hasMessage("tokenizer = symbol: expected one of cl100k, o200k, p50k, r50k, char, word (the tokenizers a model file can store)");
  }
}
