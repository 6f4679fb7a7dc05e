package org.fewstep.constrain.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fewstep.constrain.AutomatonConstraint;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * A compiled regex as a token constraint over cl100k's vocabulary: masks against token-by-token
 * walks and java.util.regex; and one fresh automaton walked by several threads at once.
 */
class RegexConstraintTest {
  @Test
  void masksOfACompiledRegexAgreeWithTokenWalksAndJavaRegex() {
    Vocabulary vocab = Tokenizers.bpe("cl100k").vocabulary();
    String regex = "[0-9]{3}-[a-z]+";
    Pattern java = Pattern.compile(regex);
    AutomatonConstraint c = new AutomatonConstraint(Regex.fullMatch(regex), vocab);
    assertThat(c.describe()).isEqualTo("regex:" + regex);
    long[] mask = new long[(vocab.size() + 63) / 64];
    for (String prefix : new String[] {"", "1", "12", "123", "123-", "123-ab"}) {
      ConstraintState s = c.start();
      for (int t : Tokenizers.bpe("cl100k").encode(prefix)) {
        s = s.advance(t);
      }
      s.mask(mask);
      int allowed = 0;
      for (int t = 0; t < vocab.size(); t++) {
        boolean bit = (mask[t >>> 6] >>> t & 1) != 0;
        assertThat(bit).as("prefix '%s' token %d", prefix, t).isEqualTo(s.allows(t));
        if (vocab.isUsed(t) && !vocab.isSpecial(t)) {
          // one char per byte: the pattern is ASCII, so a non-ASCII byte fails it either way;
          // hitEnd is exact for this pattern (no alternative can fail after reaching the end)
          String text = prefix + new String(vocab.bytes(t), StandardCharsets.ISO_8859_1);
          Matcher m = java.matcher(text);
          boolean viable = m.matches() || m.hitEnd();
          assertThat(bit).as("prefix '%s' token '%s'", prefix, vocab.text(t)).isEqualTo(viable);
        }
        allowed += bit ? 1 : 0;
      }
      assertThat(allowed).isPositive();
      assertThat(s.canEnd()).isEqualTo(java.matcher(prefix).matches());
      assertThat(s.mustEnd()).isFalse();
    }
  }

  @Test
  void oneAutomatonWalkedByManyThreadsGivesTheSingleThreadAnswers() throws Exception {
    String regex = "[a-c]+\\d{2,4}[^x]*y|é(?:ab|😀)*";
    Pattern java = Pattern.compile(regex);
    Random random = new Random(11);
    String[] letters = {"a", "b", "c", "1", "2", "x", "y", "é", "😀"};
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        sb.append(letters[random.nextInt(letters.length)]);
      }
      texts.add(sb.toString());
    }
    for (boolean search : new boolean[] {false, true}) {
      ByteAutomaton shared = search ? Regex.search(regex) : Regex.fullMatch(regex); // fresh: states made concurrently
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<boolean[]>> results = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int offset = w * 1000;
          results.add(pool.submit(() -> {
            boolean[] out = new boolean[texts.size()];
            for (int i = 0; i < texts.size(); i++) {
              out[(i + offset) % texts.size()] = Walks.accepts(shared, texts.get((i + offset) % texts.size()));
            }
            return out;
          }));
        }
        for (Future<boolean[]> f : results) {
          boolean[] got = f.get();
          for (int i = 0; i < texts.size(); i++) {
            Matcher m = java.matcher(texts.get(i));
            assertThat(got[i]).as("'%s'", texts.get(i)).isEqualTo(search ? m.find() : m.matches());
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
