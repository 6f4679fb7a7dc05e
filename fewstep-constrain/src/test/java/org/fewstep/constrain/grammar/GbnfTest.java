package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** GBNF parsed into the expected expressions, and malformed grammars as errors with their line and column. */
class GbnfTest {
  private static Grammar parse(String text) {
    return Gbnf.parse(text, "test.gbnf");
  }

  @Test
  void itemsRepetitionsAndGroupsBecomeTheirExpressions() {
    Grammar g = parse("root ::= \"a\\n\" [b-dx] . item* (\"x\" | item){2,3} item? [^\"\\\\]+ item{2,}\n"
        + "item ::= [0-9] | \"\\u00e9\\x41\\U0001F600\"\n");
    assertThat(g.start()).isEqualTo("root");
    assertThat(g.rules().keySet()).containsExactly("root", "item");
    Ref item = new Ref("item", 1, 25);
    Expr expected = new Seq(List.of(
        new Literal("a\n"),
        new CharClass(new int[] {'b', 'd', 'x', 'x'}, false),
        new CharClass(new int[0], true),
        new Repeat(item, 0, Repeat.UNBOUNDED),
        new Repeat(new Alt(List.of(new Literal("x"), new Ref("item", 1, 38))), 2, 3),
        new Repeat(new Ref("item", 1, 49), 0, 1),
        new Repeat(new CharClass(new int[] {'"', '"', '\\', '\\'}, true), 1, Repeat.UNBOUNDED),
        new Repeat(new Ref("item", 1, 63), 2, Repeat.UNBOUNDED)));
    assertThat(g.rules().get("root")).isEqualTo(expected);
    assertThat(g.rules().get("item")).isEqualTo(new Alt(List.of(new CharClass(new int[] {'0', '9'}, false),
        new Literal("\u00e9A" + new String(Character.toChars(0x1F600))))));
  }

  @Test
  void newLinesContinueARuleInsideGroupsAndAfterABarAndCommentsAreSkipped() {
    Grammar g = parse("# a JSON-like value\n"
        + "root ::= (\n"
        + "    \"[\" ws   # open\n"
        + "    (value (\",\" ws value)*)?\n"
        + "  \"]\" )\n"
        + "value ::= \"1\" |\n"
        + "          \"2\"\n"
        + "ws ::= | \" \" ws\n"
        + "\n");
    assertThat(g.rules().keySet()).containsExactly("root", "value", "ws");
    assertThat(g.rules().get("value")).isEqualTo(new Alt(List.of(new Literal("1"), new Literal("2"))));
    assertThat(g.rules().get("ws")).isEqualTo(new Alt(List.of(new Seq(List.of()),
        new Seq(List.of(new Literal(" "), new Ref("ws", 8, 14))))));
    Expr root = g.rules().get("root");
    assertThat(root).isInstanceOf(Seq.class);
    assertThat(((Seq) root).items()).hasSize(4);
    assertThat(((Seq) root).items().get(2)).isInstanceOf(Repeat.class);
  }

  @Test
  void classesAreSortedAndMerged() {
    CharClass c = (CharClass) parse("root ::= [z-za-cb-eA]").rules().get("root");
    assertThat(c.ranges()).containsExactly('A', 'A', 'a', 'e', 'z', 'z');
    CharClass dash = (CharClass) parse("root ::= [a-]").rules().get("root");
    assertThat(dash.ranges()).containsExactly('-', '-', 'a', 'a');
  }

  @Test
  void malformedGrammarsNameTheLineAndColumn() {
    fails("root ::= \"abc", "test.gbnf:1:10", "closed by '\"'");
    fails("root ::= [abc", "test.gbnf:1:10", "closed by ']'");
    fails("root ::= (\"a\"\n", "')' closing the group opened at 1:10");
    fails("root ::= \"a\"{3,2}", "test.gbnf:1:13", "m <= n");
    fails("root ::= \"a\"{x}", "a count in the repetition");
    fails("root ::= [z-a]", "test.gbnf:1:11", "low end first");
    fails("root ::= \"\\q\"", "test.gbnf:1:11", "one of the escapes");
    fails("root ::= \"\\uD800\"", "surrogate");
    fails("root ::= item", "test.gbnf:1:10", "rule = item", "a rule defined");
    fails("item ::= \"a\"", "root (missing)");
    fails("root ::= \"a\"\nroot ::= \"b\"", "test.gbnf:2:1", "one definition of rule root");
    fails("root = \"a\"", "test.gbnf:1:6", "'::='");
    fails("root ::= <[1000]>", "token references");
    fails("root ::= \"a\" )", "test.gbnf:1:14", "the end of rule root");
    fails("", "no rules");
  }

  private static void fails(String grammar, String... parts) {
    var thrown = assertThatThrownBy(() -> parse(grammar)).isInstanceOf(BadInputException.class);
    for (String p : parts) {
      thrown.hasMessageContaining(p);
    }
  }
}
