package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fewstep.core.BadInputException;
import org.fewstep.text.LmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a grammar or a token sequence can be wrong, with the message it gets. */
class PcfgErrorsTest {

  static Stream<Arguments> badGrammars() {
    return Stream.of(
        Arguments.of("S \"a\" [1]",
            "grammar line 1, column 3: expected '->' after the left-hand side S, found '\"a\" [1]'"),
        Arguments.of("S -> \"a\"",
            "grammar line 1, column 9: expected a probability [p] at the end of the alternative, found the end of"
                + " the line"),
        Arguments.of("S -> \"a\" [1.5]", "grammar line 1, column 10: probability [1.5]: expected a number in (0, 1]"),
        Arguments.of("S -> \"a\" [0] | \"b\" [1]", "grammar line 1, column 10: probability [0]: expected a number in"),
        Arguments.of("S -> \"a\" [NaN]",
            "grammar line 1, column 10: probability [NaN]: expected a decimal number in (0, 1]"),
        Arguments.of("S -> \"a\" [0.5",
            "grammar line 1, column 10: expected a probability closed by ']', found '[0.5'"),
        Arguments.of("S -> \"a [1]",
            "grammar line 1, column 6: expected a terminal closed by '\"' on the same line, found '\"a [1]'"),
        Arguments.of("S -> \"a\\n\" [1]",
            "grammar line 1, column 8: expected \\\" or \\\\ (the only escapes in a terminal), found '\\n\" [1]'"),
        Arguments.of("S -> \"\" [1]", "grammar line 1, column 6: terminal \"\": expected a non-empty terminal"),
        Arguments.of("S -> \"a b\" [1]", "grammar line 1, column 6: terminal \"a b\": expected a non-empty terminal"
            + " without whitespace"),
        Arguments.of("S -> \"</s>\" [1]",
            "grammar line 1, column 6: terminal \"</s>\": expected a terminal other than the end token"),
        Arguments.of("S -> \"a\" [0.5] \"b\" [0.5]",
            "grammar line 1, column 16: expected '|' or the end of the line after the probability,"
                + " found '\"b\" [0.5]'"),
        Arguments.of("# a comment\n| \"a\" [1]",
            "grammar line 2, column 1: expected a rule 'Name -> ...' before a line that continues one with '|'"),
        Arguments.of("S -> @ [1]", "grammar line 1, column 6: expected a symbol (a nonterminal name or a quoted"
            + " terminal) or a probability [p], found '@ [1]'"),
        Arguments.of("\n -> \"a\" [1]", "grammar line 2, column 2: expected a nonterminal name (the left-hand side"),
        Arguments.of("# nothing\n\n", "grammar: no rules; expected at least one line 'Start -> ... [p]'"),
        Arguments.of("S -> NP \"a\" [1]", "grammar line 1: nonterminal NP has no rules: expected a line 'NP -> ..."
            + " [p]' (or a terminal in double quotes)"),
        Arguments.of("S -> \"a\" [0.5]\nS -> \"a\" [0.5]", "grammar line 2: the alternative S -> \"a\" repeats the"
            + " one at line 1: expected each alternative once (add their probabilities)"),
        Arguments.of("S -> \"a\" [0.5]\n  | \"b\" [0.4]\nT -> [1]",
            "grammar: sum of the probabilities of S (lines 1, 2) = 0.9: expected 1 (within 1e-9)"),
        Arguments.of("S -> \"a\" [1]\nT -> \"b\" [1]", "grammar line 2: nonterminal T is unreachable from the start"
            + " symbol S: expected every nonterminal to occur in a derivation"),
        Arguments.of("S -> \"a\" [0.5] | L [0.5]\nL -> L \"b\" [1]", "grammar line 2: nonterminal L derives no"
            + " finite string (each of its rules uses such a nonterminal): expected a rule that terminates"),
        Arguments.of("S -> S S [0.6] | \"a\" [0.4]", "grammar: spectral radius of the expected-children matrix ="
            + " 1.20000: expected < 1: otherwise probability escapes to infinite derivations"),
        Arguments.of("S -> S S [0.5] | \"a\" [0.5]", "grammar: spectral radius of the expected-children matrix ="
            + " 1.00000: expected < 1"),
        Arguments.of("S -> A A A A A A A A A A A A A [1]\nA -> \"a\" [0.5] | [0.5]", "grammar line 1: nullable"
            + " symbols on one right-hand side = 13: expected at most 12"));
  }

  @ParameterizedTest
  @MethodSource("badGrammars")
  void badGrammarsAreRejectedWithWhereWhatAndWhy(String grammar, String message) {
    assertThatThrownBy(() -> Pcfg.parse(grammar)).isInstanceOf(BadInputException.class).hasMessageStartingWith(message);
  }

  @Test
  void aFileNamesItsPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.pcfg");
    Files.writeString(file, "S -> \"a\" [1]\nS => \"b\" [1]\n");
    assertThatThrownBy(() -> Pcfg.load(file)).hasMessageStartingWith(file + " line 2, column 3: expected '->'");
    assertThatThrownBy(() -> Pcfg.load(dir.resolve("missing.pcfg")))
        .isInstanceOf(BadInputException.class)
        .hasMessage("grammar file " + dir.resolve("missing.pcfg") + " does not exist");
  }

  @Test
  void impossibleTokensGiveImpossibleRowsAndTokensAfterTheEndAreErrors() {
    Pcfg pcfg = Pcfg.parse("S -> \"(\" S \")\" [0.4] | \"x\" [0.6]");
    LmState state = pcfg.start();
    state.append(0, 0);
    double[][] rows = state.append(0, 1); // "( ( ( )" is impossible: ")" cannot follow "("
    assertThat(rows[1][1]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(rows[2]).containsOnly(Double.NEGATIVE_INFINITY);
    state.truncate(2);
    assertThat(state.tokens()).containsExactly(0, 0);
    state.append(2, 1, 1, 3);
    assertThatThrownBy(() -> state.append(2))
        .hasMessage("token at position 6 = 2: expected nothing: the sequence ended at position 5");
    assertThat(pcfg.logProbability(new int[] {0, 2}, true)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> pcfg.logProbability(new int[] {2, 3}, false))
        .hasMessage("tokens[1] = 3 (the end token): expected a symbol id; score the end with withEos = true");
    assertThatThrownBy(() -> pcfg.logProbability(new int[] {7}, false)).hasMessageContaining("tokens[0] = 7");
    assertThatThrownBy(() -> state.next(new double[3])).hasMessage("length of the logits array = 3: expected 4 (the"
        + " vocabulary size)");
  }
}
