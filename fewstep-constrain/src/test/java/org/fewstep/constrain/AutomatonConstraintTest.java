package org.fewstep.constrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fewstep.core.BadInputException;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * The trie walk against a token-by-token walk and against java.util.regex, on cl100k's 100 256
 * tokens and a hand-written DFA of JSON numbers.
 */
class AutomatonConstraintTest {
  static final Vocabulary CL100K = Tokenizers.bpe("cl100k").vocabulary();
  static final TokenTrie TRIE = TokenTrie.of(CL100K);
  static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");

  /** JSON numbers without exponent: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?}, states 0..5. */
  static final class NumberDfa implements ByteAutomaton {
    @Override
    public int start() {
      return 0;
    }

    @Override
    public int step(int s, int b) {
      boolean digit = b >= '0' && b <= '9';
      switch (s) {
        case 0: return b == '-' ? 1 : b == '0' ? 2 : digit ? 3 : DEAD;
        case 1: return b == '0' ? 2 : digit ? 3 : DEAD;
        case 2: return b == '.' ? 4 : DEAD;
        case 3: return digit ? 3 : b == '.' ? 4 : DEAD;
        case 4: case 5: return digit ? 5 : DEAD;
        default: throw new IllegalArgumentException("state " + s);
      }
    }

    @Override
    public boolean accepting(int s) {
      return s == 2 || s == 3 || s == 5;
    }

    @Override
    public boolean mustEnd(int s) {
      return false;
    }

    @Override
    public String describe() {
      return "number";
    }
  }

  @Test
  void theTrieHoldsEveryOrdinaryTokenOnceUnderItsBytes() {
    int ordinary = 0;
    for (int id = 0; id < CL100K.size(); id++) {
      ordinary += CL100K.isUsed(id) && !CL100K.isSpecial(id) ? 1 : 0;
    }
    assertThat(TRIE.tokenCount()).isEqualTo(ordinary);
    // rebuild each token's bytes from the path to its node
    byte[] path = new byte[TRIE.maxDepth()];
    int seen = 0;
    for (int n = 1; n < TRIE.nodes(); n++) {
      path[TRIE.depth(n) - 1] = (byte) TRIE.label(n);
      assertThat(TRIE.subtreeEnd(n)).isGreaterThan(n);
      for (int k = TRIE.tokensFrom(n); k < TRIE.tokensTo(n); k++) {
        assertThat(CL100K.bytes(TRIE.token(k))).isEqualTo(java.util.Arrays.copyOf(path, TRIE.depth(n)));
        seen++;
      }
    }
    assertThat(seen + TRIE.tokensTo(0) - TRIE.tokensFrom(0)).isEqualTo(ordinary);
    assertThat(TRIE.subtreeEnd(0)).isEqualTo(TRIE.nodes());
  }

  @Test
  void masksEqualTokenByTokenChecksAndJavaRegex() {
    AutomatonConstraint c = new AutomatonConstraint(new NumberDfa(), CL100K, TRIE);
    long[] mask = new long[(CL100K.size() + 63) / 64];
    for (String prefix : new String[] {"", "-", "0", "12", "-3.", "4.5"}) {
      ConstraintState s = c.start();
      for (int t : Tokenizers.bpe("cl100k").encode(prefix)) {
        s = s.advance(t);
      }
      s.mask(mask);
      int allowed = 0;
      for (int t = 0; t < CL100K.size(); t++) {
        boolean bit = (mask[t >>> 6] >>> t & 1) != 0;
        assertThat(bit).as("prefix '%s' token %d", prefix, t).isEqualTo(s.allows(t));
        if (CL100K.isUsed(t) && !CL100K.isSpecial(t)) {
          String text = prefix + new String(CL100K.bytes(t), StandardCharsets.ISO_8859_1);
          Matcher m = NUMBER.matcher(text);
          boolean viable = m.matches() || m.hitEnd();
          assertThat(bit).as("prefix '%s' token '%s'", prefix, CL100K.text(t)).isEqualTo(viable);
        }
        allowed += bit ? 1 : 0;
      }
      assertThat(allowed).isPositive();
      assertThat(s.allows(CL100K.eos())).isEqualTo(NUMBER.matcher(prefix).matches());
    }
  }

  @Test
  void advanceRefusesATokenOutsideTheLanguageAndTheMatcherRollsBack() {
    AutomatonConstraint c = new AutomatonConstraint(new NumberDfa(), CL100K, TRIE);
    int[] ids = Tokenizers.bpe("cl100k").encode("12.5");
    ConstraintMatcher m = new ConstraintMatcher(c);
    for (int t : ids) {
      m.advance(t);
    }
    assertThat(m.canEnd()).isTrue();
    int x = Tokenizers.bpe("cl100k").encode("x")[0];
    assertThatThrownBy(() -> m.advance(x)).isInstanceOf(BadInputException.class).hasMessageContaining("'x'");
    m.rollback(ids.length);
    assertThat(m.length()).isZero();
    assertThat(m.canEnd()).isFalse();
    m.advance(CL100K.eos() >= 0 ? ids[0] : ids[0]);
    assertThatThrownBy(() -> m.rollback(5)).isInstanceOf(BadInputException.class).hasMessageContaining("rollback");
  }
}
