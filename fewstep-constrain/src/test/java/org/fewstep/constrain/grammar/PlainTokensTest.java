package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

/** The vocabulary tables of the slicer and of the walks. */
class PlainTokensTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void plainCharactersAreWholeUtf8WithoutQuotesBackslashesOrControls() {
    assertThat(PlainTokens.plainChars(utf8("abc"))).isEqualTo(3);
    assertThat(PlainTokens.plainChars(utf8(" é€😀"))).isEqualTo(4);
    assertThat(PlainTokens.plainChars(new byte[0])).isZero();
    assertThat(PlainTokens.plainChars(utf8("a\""))).isEqualTo(-1);
    assertThat(PlainTokens.plainChars(utf8("\\n"))).isEqualTo(-1);
    assertThat(PlainTokens.plainChars(utf8("a\n"))).isEqualTo(-1);
    assertThat(PlainTokens.plainChars(new byte[] {'a', (byte) 0xC3})).isEqualTo(-1); // cut inside a character
    assertThat(PlainTokens.plainChars(new byte[] {(byte) 0xA9})).isEqualTo(-1); // a continuation byte alone
    assertThat(PlainTokens.plainChars(new byte[] {(byte) 0xC0, (byte) 0x80})).isEqualTo(-1); // overlong
    assertThat(PlainTokens.plainChars(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo(-1); // surrogate
    assertThat(PlainTokens.plainChars(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isEqualTo(-1);
  }

  @Test
  void plainPhasesReadExactlyThePlainStrings() {
    for (String s : new String[] {"abc", " é€😀", "a\"", "\\", "a\n"}) {
      byte[] b = utf8(s);
      int phase = 0;
      for (byte x : b) {
        phase = phase < 0 ? phase : PlainTokens.plainPhase(phase, x & 0xFF);
      }
      assertThat(phase == 0).as(s).isEqualTo(PlainTokens.plainChars(b) >= 0);
    }
    assertThat(PlainTokens.plainPhase(0, 0xC3)).isEqualTo(1);
    assertThat(PlainTokens.plainPhase(0, 0xED)).isEqualTo(5);
    assertThat(PlainTokens.plainPhase(5, 0xA0)).isEqualTo(-1);
  }

  @Test
  void tablesSplitTheVocabularyAndSummariseSubtrees() {
    byte[][] tokens = {utf8("a"), utf8("ab"), utf8("abé"), utf8("a\""), utf8("\\n"), new byte[] {(byte) 0xC3}, utf8("<e>")};
    boolean[] special = new boolean[tokens.length];
    special[6] = true;
    Vocabulary v = new Vocabulary(tokens, special, 6);
    TokenTrie trie = TokenTrie.of(v);
    PlainTokens p = PlainTokens.of(v, trie);
    assertThat(p.plainCount()).isEqualTo(3);
    assertThat(p.otherCount()).isEqualTo(3);
    long[] upTo2 = p.upTo(2);
    assertThat(upTo2[0]).isEqualTo(0b011L); // "a", "ab"
    assertThat(p.upTo(99)[0]).isEqualTo(0b111L);
    TrieIndex index = p.all();
    int a = 1;
    while (TrieIndex.depth(index.packed[a]) != 1 || TrieIndex.label(index.packed[a]) != 'a') {
      a = TrieIndex.end(index.packed[a]);
    }
    assertThat(TrieIndex.label(index.packed[a])).isEqualTo('a');
    assertThat(TrieIndex.first(index.packed[a])).isEqualTo(0);
    assertThat(index.below[3 * a]).isEqualTo(1L << '"'); // '"' (34) below "a"
    assertThat(index.below[3 * a + 1]).isEqualTo(1L << ('b' - 64));
    assertThat(index.below[3 * a + 2]).isEqualTo(0x100 | 3); // a byte >= 128 below, "abé" is 3 deeper
  }
}
