package org.fewstep.constrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Constraints from a pattern or a grammar file: the same language whichever syntax names it; clear errors. */
class ConstraintsTest {
  static final Tokenizer CL100K = Tokenizers.bpe("cl100k");

  @TempDir
  Path dir;

  static boolean accepts(TokenConstraint c, String text) {
    ConstraintState s = c.start();
    for (int t : CL100K.encode(text)) {
      if (!s.allows(t)) {
        return false;
      }
      s = s.advance(t);
    }
    return s.canEnd();
  }

  @Test
  void aRegexAGbnfAndALarkFileOfOneLanguageAgree() throws Exception {
    Path gbnf = Files.writeString(dir.resolve("date.gbnf"), "root ::= [0-9]{4} \"-\" [0-9]{2} (\"-\" [0-9]{2})?\n");
    Path lark = Files.writeString(dir.resolve("date.lark"), "start: DIGIT~4 \"-\" DIGIT~2 (\"-\" DIGIT~2)?\n"
        + "%import common.DIGIT\n");
    TokenConstraint[] all = {Constraints.regex("[0-9]{4}-[0-9]{2}(-[0-9]{2})?", CL100K.vocabulary()),
        Constraints.grammar(gbnf, CL100K.vocabulary()), Constraints.grammar(lark, CL100K.vocabulary())};
    for (String text : new String[] {"2026-11", "2026-11-28", "2026-1", "2026-11-28-", "26-11-28", "2026/11"}) {
      boolean expected = text.matches("[0-9]{4}-[0-9]{2}(-[0-9]{2})?");
      for (TokenConstraint c : all) {
        assertThat(accepts(c, text)).as("%s on '%s'", c.describe(), text).isEqualTo(expected);
      }
    }
    assertThat(Constraints.trie(CL100K.vocabulary())).isSameAs(Constraints.trie(CL100K.vocabulary()));
  }

  @Test
  void badFilesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> Constraints.grammar(dir.resolve("none.gbnf"), CL100K.vocabulary()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("none.gbnf").hasMessageContaining("an existing");
    Path txt = Files.writeString(dir.resolve("g.txt"), "root ::= \"a\"");
    assertThatThrownBy(() -> Constraints.grammar(txt, CL100K.vocabulary())).isInstanceOf(BadInputException.class)
        .hasMessageContaining(".gbnf").hasMessageContaining(".lark");
    Path empty = Files.writeString(dir.resolve("empty.gbnf"), "root ::= root \"a\"");
    assertThatThrownBy(() -> Constraints.grammar(empty, CL100K.vocabulary())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Constraints.regex("a(?=b)", CL100K.vocabulary())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("offset 1");
  }
}
