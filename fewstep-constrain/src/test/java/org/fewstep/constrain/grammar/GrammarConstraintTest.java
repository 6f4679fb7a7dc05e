package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * The grammar constraint against a byte-level oracle: on a vocabulary of the 256 single bytes, the
 * allowed bytes after every string up to length 5 over each grammar's alphabet are exactly those that
 * keep a prefix of the language (a prefix-derivation fixed point over the productions, with lexeme
 * spans checked by the lexemes' automata), and the end is allowed exactly on strings of the language.
 * On cl100k, masks equal token-by-token checks.
 */
public class GrammarConstraintTest {
  static final String[][] CASES = LexemesTest.CASES;

  static ByteAutomaton lexeme(String regex) {
    return org.fewstep.constrain.regex.Regex.fullMatch(regex);
  }

  /** 256 single-byte tokens and an end token. */
  public static Vocabulary bytes() {
    byte[][] tokens = new byte[257][];
    boolean[] special = new boolean[257];
    for (int b = 0; b < 256; b++) {
      tokens[b] = new byte[] {(byte) b};
    }
    tokens[256] = "<end>".getBytes(StandardCharsets.UTF_8);
    special[256] = true;
    return new Vocabulary(tokens, special, 256);
  }

  @Test
  void allowedBytesAreExactlyThoseThatKeepAPrefixOfTheLanguage() {
    Vocabulary v = bytes();
    TokenTrie trie = TokenTrie.of(v);
    for (String[] c : CASES) {
      Grammar g = Gbnf.parse(c[0], "case");
      GrammarConstraint constraint = new GrammarConstraint(g, GrammarConstraintTest::lexeme, v, trie);
      Lexemes lx = Lexemes.of(g);
      List<ByteAutomaton> automata = new ArrayList<>();
      for (String p : lx.patterns) {
        automata.add(lexeme(p));
      }
      long[] mask = new long[5];
      for (String w : LexemesTest.strings(c[1], 5)) {
        byte[] text = w.getBytes(StandardCharsets.UTF_8);
        if (!Oracle.viable(lx.cfg, automata, text)) {
          continue;
        }
        ConstraintState s = constraint.start();
        for (byte b : text) {
          s = s.advance(b & 0xFF);
        }
        s.mask(mask);
        assertThat(s.canEnd()).as("%s: '%s' ends", c[0], w).isEqualTo(Oracle.member(lx.cfg, automata, text));
        assertThat((mask[4] & 1) != 0).isEqualTo(s.canEnd());
        for (char a : (c[1] + "x").toCharArray()) {
          byte[] longer = (w + a).getBytes(StandardCharsets.UTF_8);
          boolean bit = (mask[a >>> 6] >>> a & 1) != 0;
          assertThat(bit).as("%s: '%s' then '%s'", c[0], w, a).isEqualTo(Oracle.viable(lx.cfg, automata, longer));
          assertThat(s.allows(a)).isEqualTo(bit);
        }
      }
    }
  }

  /**
   * Every byte string of 1 to 3 bytes over {@code alphabet} as a token, with single bytes first (so
   * that token b is byte {@code alphabet[b]}), and an end token.
   */
  public static Vocabulary strings(byte[] alphabet) {
    List<byte[]> tokens = new ArrayList<>();
    List<byte[]> last = new ArrayList<>(List.of(new byte[0]));
    for (int length = 1; length <= 3; length++) {
      List<byte[]> next = new ArrayList<>();
      for (byte[] prefix : last) {
        for (byte b : alphabet) {
          byte[] t = java.util.Arrays.copyOf(prefix, length);
          t[length - 1] = b;
          next.add(t);
        }
      }
      tokens.addAll(next);
      last = next;
    }
    tokens.add("<end>".getBytes(StandardCharsets.UTF_8));
    boolean[] special = new boolean[tokens.size()];
    special[tokens.size() - 1] = true;
    return new Vocabulary(tokens.toArray(byte[][]::new), special, tokens.size() - 1);
  }

  /**
   * Tokens of several bytes, which cross lexeme boundaries, end lexemes inside them (the exits) and
   * start new ones: after every viable string of up to 3 bytes, the mask holds exactly the tokens
   * that keep a prefix of the language (the oracle) and that {@code allows} allows.
   */
  @Test
  void multiByteTokensAreAllowedExactlyWhenTheyKeepAPrefixOfTheLanguage() {
    for (String[] c : CASES) {
      byte[] alphabet = (c[1] + "x").getBytes(StandardCharsets.UTF_8);
      Vocabulary v = strings(alphabet);
      Grammar g = Gbnf.parse(c[0], "case");
      GrammarConstraint constraint = new GrammarConstraint(g, GrammarConstraintTest::lexeme, v, TokenTrie.of(v));
      Lexemes lx = Lexemes.of(g);
      List<ByteAutomaton> automata = new ArrayList<>();
      for (String p : lx.patterns) {
        automata.add(lexeme(p));
      }
      long[] mask = new long[(v.size() + 63) >>> 6];
      for (String w : LexemesTest.strings(c[1], 3)) {
        byte[] text = w.getBytes(StandardCharsets.UTF_8);
        if (!Oracle.viable(lx.cfg, automata, text)) {
          continue;
        }
        ConstraintState s = constraint.start();
        for (byte b : text) {
          s = s.advance(new String(alphabet, StandardCharsets.ISO_8859_1).indexOf((char) (b & 0xFF)));
        }
        s.mask(mask);
        for (int t = 0; t < v.size(); t++) {
          boolean bit = (mask[t >>> 6] >>> t & 1) != 0;
          boolean expected = t == v.eos() ? Oracle.member(lx.cfg, automata, text)
              : Oracle.viable(lx.cfg, automata, concat(text, v.bytes(t)));
          assertThat(bit).as("%s: '%s' then '%s'", c[0], w, v.text(t)).isEqualTo(expected);
          assertThat(s.allows(t)).isEqualTo(bit);
        }
      }
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void larkIgnoredWhiteSpaceMayStandBetweenAnyTwoLexemes() {
    Vocabulary v = bytes();
    Grammar g = Lark.parse("start: value\n"
        + "?value: \"[\" [value (\",\" value)*] \"]\" | SIGNED_NUMBER\n"
        + "%import common.SIGNED_NUMBER\n%import common.WS\n%ignore WS\n", "json.lark");
    GrammarConstraint c = new GrammarConstraint(g, GrammarConstraintTest::lexeme, v, TokenTrie.of(v));
    for (String ok : new String[] {"[1,[2]]", " [ 1 , [ -2.5e3 ] ]\n", "[]", "7", " [\n]"}) {
      assertThat(walk(c, ok)).as(ok).isNotNull();
      assertThat(walk(c, ok).canEnd()).as(ok).isTrue();
    }
    for (String bad : new String[] {"[1,,2]", "[1 2]", "]", "[1]]"}) {
      assertThat(walk(c, bad)).as(bad).isNull();
    }
    assertThat(walk(c, "[1, [2").canEnd()).isFalse();
    assertThat(walk(c, "12").canEnd()).isTrue(); // one number, not two: ignored text is optional
    assertThat(walk(c, "1 2")).isNull();
  }

  /** The state after the bytes of {@code text}, or null once a byte is not allowed. */
  static ConstraintState walk(GrammarConstraint c, String text) {
    ConstraintState s = c.start();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (!s.allows(b & 0xFF)) {
        return null;
      }
      s = s.advance(b & 0xFF);
    }
    return s;
  }

  @Test
  void cl100kMasksEqualTokenByTokenChecks() {
    Vocabulary v = Tokenizers.bpe("cl100k").vocabulary();
    TokenTrie trie = TokenTrie.of(v);
    Grammar g = Gbnf.parse("root ::= \"{\" ws pair (\",\" ws pair)* \"}\"\n"
        + "pair ::= \"\\\"\" [a-z]+ \"\\\"\" ws \":\" ws value\n"
        + "value ::= [0-9]+ | root | \"\\\"\" [a-z ]* \"\\\"\"\n"
        + "ws ::= [ \\n]*", "object.gbnf");
    GrammarConstraint constraint = new GrammarConstraint(g, GrammarConstraintTest::lexeme, v, trie);
    ConstraintState s = constraint.start();
    long[] mask = new long[(v.size() + 63) / 64];
    for (int token : Tokenizers.bpe("cl100k").encode("{\"ab\": {\"c\": \"x y\", \"d\": 12}}")) {
      s.mask(mask);
      for (int t = 0; t < v.size(); t++) {
        assertThat((mask[t >>> 6] >>> t & 1) != 0).as("token %d", t).isEqualTo(s.allows(t));
      }
      assertThat(s.allows(token)).isTrue();
      s = s.advance(token);
    }
    assertThat(s.canEnd()).isTrue();
  }

  /** Membership and prefix viability by fixed points over the productions, lexemes matched by their automata. */
  static final class Oracle {
    static boolean accepts(ByteAutomaton a, byte[] w, int from, int to) {
      int s = a.start();
      for (int k = from; k < to && s != ByteAutomaton.DEAD; k++) {
        s = a.step(s, w[k] & 0xFF);
      }
      return s != ByteAutomaton.DEAD && a.accepting(s);
    }

    static boolean live(ByteAutomaton a, byte[] w, int from, int to) {
      int s = a.start();
      for (int k = from; k < to && s != ByteAutomaton.DEAD; k++) {
        s = a.step(s, w[k] & 0xFF);
      }
      return s != ByteAutomaton.DEAD;
    }

    static boolean[][][] spans(Cfg cfg, List<ByteAutomaton> automata, byte[] w) {
      int n = w.length;
      boolean[][][] d = new boolean[cfg.nonterminals][n + 1][n + 1];
      for (boolean changed = true; changed; ) {
        changed = false;
        for (int p = 0; p < cfg.lhs.length; p++) {
          for (int i = 0; i <= n; i++) {
            boolean[] reach = new boolean[n + 1];
            reach[i] = true;
            for (int sym : cfg.rhs[p]) {
              boolean[] next = new boolean[n + 1];
              for (int k = i; k <= n; k++) {
                if (reach[k]) {
                  for (int m = k; m <= n; m++) {
                    next[m] |= sym < 0 ? accepts(automata.get(~sym), w, k, m) : d[sym][k][m];
                  }
                }
              }
              reach = next;
            }
            for (int j = i; j <= n; j++) {
              if (reach[j] && !d[cfg.lhs[p]][i][j]) {
                d[cfg.lhs[p]][i][j] = changed = true;
              }
            }
          }
        }
      }
      return d;
    }

    static boolean member(Cfg cfg, List<ByteAutomaton> automata, byte[] w) {
      return spans(cfg, automata, w)[0][0][w.length];
    }

    /** Some string of the language starts with w (every production of the Cfg is useful). */
    static boolean viable(Cfg cfg, List<ByteAutomaton> automata, byte[] w) {
      int n = w.length;
      boolean[][][] d = spans(cfg, automata, w);
      boolean[][] pre = new boolean[cfg.nonterminals][n + 1];
      for (boolean changed = true; changed; ) {
        changed = false;
        for (int p = 0; p < cfg.lhs.length; p++) {
          for (int i = 0; i <= n; i++) {
            if (pre[cfg.lhs[p]][i]) {
              continue;
            }
            boolean found = false;
            boolean[] reach = new boolean[n + 1];
            reach[i] = true;
            for (int sym : cfg.rhs[p]) {
              found |= reach[n];
              boolean[] next = new boolean[n + 1];
              for (int k = i; k <= n && !found; k++) {
                if (!reach[k]) {
                  continue;
                }
                if (sym < 0) {
                  found = k < n && live(automata.get(~sym), w, k, n); // the lexeme runs past the end
                } else {
                  found = k < n && pre[sym][k];
                }
                for (int m = k; m <= n; m++) {
                  next[m] |= sym < 0 ? accepts(automata.get(~sym), w, k, m) : d[sym][k][m];
                }
              }
              reach = next;
            }
            if (found || reach[n]) {
              pre[cfg.lhs[p]][i] = changed = true;
            }
          }
        }
      }
      return pre[0][0];
    }
  }
}
