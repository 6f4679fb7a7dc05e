package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Pattern;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** The Lark-like syntax parsed into the expected expressions; malformed or unsupported input as errors with positions. */
class LarkTest {
  private static Grammar parse(String text) {
    return Lark.parse(text, "test.lark");
  }

  @Test
  void aJsonGrammarParsesWithImportsIgnoreAliasesAndContinuationLines() {
    Grammar g = parse("// JSON values\n"
        + "?start: value\n"
        + "?value: object\n"
        + "      | array\n"
        + "      | ESCAPED_STRING -> string\n"
        + "      | SIGNED_NUMBER\n"
        + "      | \"true\" | \"false\" | \"null\"\n"
        + "array  : \"[\" [value (\",\" value)*] \"]\"\n"
        + "object : \"{\" [pair (\",\" pair)*] \"}\"\n"
        + "pair   : ESCAPED_STRING \":\" value\n"
        + "%import common.ESCAPED_STRING\n"
        + "%import common.SIGNED_NUMBER\n"
        + "%import common.WS\n"
        + "%ignore WS\n");
    assertThat(g.start()).isEqualTo("start");
    assertThat(g.rules().keySet()).containsExactly("start", "value", "array", "object", "pair", "ESCAPED_STRING",
        "SIGNED_NUMBER", "WS");
    assertThat(g.rules().get("value")).isInstanceOf(Alt.class);
    assertThat(((Alt) g.rules().get("value")).options()).hasSize(7);
    assertThat(g.rules().get("array")).isEqualTo(new Seq(List.of(new Literal("["),
        new Repeat(new Seq(List.of(new Ref("value", 8, 15),
            new Repeat(new Seq(List.of(new Literal(","), new Ref("value", 8, 26))), 0, Repeat.UNBOUNDED))), 0, 1),
        new Literal("]"))));
    assertThat(g.rules().get("WS")).isEqualTo(new Pattern(Lark.COMMON.get("WS")));
    assertThat(g.ignore()).containsExactly(new Ref("WS", 14, 9));
  }

  @Test
  void regexesRangesRepetitionsAndPriorities() {
    Grammar g = parse("start: NAME \"=\" DIGITS~2..4 \"a\"..\"f\" x ~ 3\n"
        + "NAME.2: /[a-z_]+\\/[0-9]?/\n"
        + "DIGITS: /[0-9]/+\n"
        + "x: \"\\u00e9\\n\"\n");
    assertThat(g.rules().get("start")).isEqualTo(new Seq(List.of(new Ref("NAME", 1, 8), new Literal("="),
        new Repeat(new Ref("DIGITS", 1, 17), 2, 4), new CharClass(new int[] {'a', 'f'}, false),
        new Repeat(new Ref("x", 1, 38), 3, 3))));
    assertThat(g.rules().get("NAME")).isEqualTo(new Pattern("[a-z_]+/[0-9]?"));
    assertThat(g.rules().get("DIGITS")).isEqualTo(new Repeat(new Pattern("[0-9]"), 1, Repeat.UNBOUNDED));
    assertThat(g.rules().get("x")).isEqualTo(new Literal("\u00e9\n"));
  }

  @Test
  void unsupportedAndMalformedInputNameTheLineAndColumn() {
    fails("start: \"a\"i", "test.lark:1:11", "case-insensitive");
    fails("start: /a/i", "test.lark:1:11", "regex flags");
    fails("start: \"a\"\n%declare X", "test.lark:2:1", "%ignore or %import");
    fails("start: X\n%import common.NOPE", "test.lark:2:9", "common.NAME");
    fails("start: (\"a\"", "')' closing the group opened at 1:8");
    fails("start: x\n", "test.lark:1:8", "rule = x");
    fails("value: \"a\"", "start (missing)");
    fails("start: \"a\" ~ 3..2", "n <= m");
    fails("start \"a\"", "':' after the name start");
    fails("start: \"a\"\nstart: \"b\"", "test.lark:2:1", "one definition of start");
  }

  private static void fails(String grammar, String... parts) {
    var thrown = assertThatThrownBy(() -> parse(grammar)).isInstanceOf(BadInputException.class);
    for (String p : parts) {
      thrown.hasMessageContaining(p);
    }
  }
}
