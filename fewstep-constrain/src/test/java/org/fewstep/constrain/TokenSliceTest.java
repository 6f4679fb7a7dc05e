package org.fewstep.constrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/** Which tokens a slice holds, and when all strings of a slice stay live in an automaton state. */
class TokenSliceTest {
  static final Vocabulary CL100K = Tokenizers.bpe("cl100k").vocabulary();

  static boolean in(TokenSlice s, String token) {
    int id = -1;
    for (int t = 0; t < CL100K.size(); t++) {
      if (CL100K.isUsed(t) && !CL100K.isSpecial(t) && java.util.Arrays.equals(CL100K.bytes(t), token.getBytes(StandardCharsets.UTF_8))) {
        id = t;
      }
    }
    assertThat(id).as("token %s in cl100k", token).isNotNegative();
    return (s.upTo(s.longest())[id >>> 6] >>> id & 1) != 0;
  }

  @Test
  void slicesHoldTheTokensOfTheirCharacters() {
    TokenSlice plain = TokenSlice.of(CL100K, TokenSlice.Kind.PLAIN);
    TokenSlice alnum = TokenSlice.of(CL100K, TokenSlice.Kind.ALNUM);
    assertThat(in(plain, " the")).isTrue();
    assertThat(in(plain, "é")).isTrue();
    assertThat(in(plain, "\"")).isFalse();
    assertThat(in(plain, "\n")).isFalse();
    assertThat(in(plain, "\\")).isFalse();
    assertThat(in(alnum, "the")).isTrue();
    assertThat(in(alnum, " the")).isFalse();
    // a token of at most r characters is in upTo(r), longer ones are not
    assertThat(plain.upTo(3)[tokenId("the") >>> 6] >>> tokenId("the") & 1).isEqualTo(1L);
    assertThat(plain.upTo(2)[tokenId("the") >>> 6] >>> tokenId("the") & 1).isZero();
    assertThat(plain.longest()).isGreaterThan(10);
  }

  static int tokenId(String token) {
    for (int t = 0; t < CL100K.size(); t++) {
      if (CL100K.isUsed(t) && java.util.Arrays.equals(CL100K.bytes(t), token.getBytes(StandardCharsets.UTF_8))) {
        return t;
      }
    }
    throw new AssertionError(token);
  }

  @Test
  void allLiveHoldsExactlyWhenNoStringOfTheSliceDies() {
    TokenSlice plain = TokenSlice.of(CL100K, TokenSlice.Kind.PLAIN);
    TokenSlice alnum = TokenSlice.of(CL100K, TokenSlice.Kind.ALNUM);
    ByteAutomaton text = Regex.fullMatch("x[^\"\\\\\\u{0}-\\u{1f}]*");
    assertThat(plain.allLive(text, text.walk("x".getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(alnum.allLive(text, text.walk("x".getBytes(StandardCharsets.UTF_8)))).isTrue();
    ByteAutomaton word = Regex.fullMatch("[A-Za-z0-9]*@");
    assertThat(alnum.allLive(word, word.start())).isTrue();
    assertThat(plain.allLive(word, word.start())).isFalse(); // a space dies
    ByteAutomaton lower = Regex.fullMatch("[a-z]*");
    assertThat(alnum.allLive(lower, lower.start())).isFalse(); // a digit dies
    ByteAutomaton shortWord = Regex.fullMatch("[A-Za-z0-9]{0,8}");
    assertThat(alnum.allLive(shortWord, shortWord.start())).isFalse(); // longer tokens die
    ByteAutomaton longWord = Regex.fullMatch("[A-Za-z0-9]{0,300}");
    assertThat(alnum.allLive(longWord, longWord.start())).isTrue();
  }
}
