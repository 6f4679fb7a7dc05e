package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.data.select.AddOneIn.Result;
import org.fewstep.data.select.AddOneIn.Settings;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.StepwiseState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

/** The language-model chooser on tiny fake models whose logits prefer a known answer. */
class LmChooserTest {

  /** Id 0 the end token; ids 1..95 printable ASCII, id 96 the line break. */
  private static final class AsciiTokenizer implements Tokenizer {
    private final Vocabulary vocabulary;

    AsciiTokenizer() {
      byte[][] tokens = new byte[97][];
      boolean[] special = new boolean[97];
      tokens[0] = "</s>".getBytes(StandardCharsets.UTF_8);
      special[0] = true;
      for (int c = 32; c < 127; c++) {
        tokens[c - 31] = new byte[] {(byte) c};
      }
      tokens[96] = new byte[] {'\n'};
      vocabulary = new Vocabulary(tokens, special, 0);
    }

    @Override
    public String name() {
      return "ascii";
    }

    @Override
    public Vocabulary vocabulary() {
      return vocabulary;
    }

    @Override
    public int[] encode(String text) {
      int[] ids = new int[text.length()];
      for (int i = 0; i < ids.length; i++) {
        char c = text.charAt(i);
        if (c == '\n') {
          ids[i] = 96;
        } else if (c >= 32 && c < 127) {
          ids[i] = c - 31;
        } else {
          throw BadInputException.of("character at " + i, (int) c, "printable ASCII or a line break");
        }
      }
      return ids;
    }

    @Override
    public String decode(int[] ids) {
      StringBuilder out = new StringBuilder();
      for (int id : ids) {
        out.append(id == 0 ? "</s>" : id == 96 ? "\n" : String.valueOf((char) (id + 31)));
      }
      return out.toString();
    }
  }

  private static final AsciiTokenizer ASCII = new AsciiTokenizer();
  private static final int V = 97;
  private static final double BOOST = 20;

  /**
   * After the last occurrence of {@code promptEnd} the model follows {@code script} (logit BOOST for its
   * next character, then for the end token) as long as what follows is a prefix of the script; all other
   * logits are 0. With {@code script} null it boosts {@code letter} everywhere.
   */
  private record FakeLm(String promptEnd, String script, char letter) implements LanguageModel {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public Tokenizer tokenizer() {
      return ASCII;
    }

    @Override
    public LmState start() {
      return new State(this);
    }

    private static final class State extends StepwiseState {
      final FakeLm model;
      final StringBuilder text = new StringBuilder();
      int after = -1; // position right after the last promptEnd

      State(FakeLm model) {
        super(ASCII.vocabulary());
        this.model = model;
      }

      State(State other) {
        super(other);
        this.model = other.model;
        this.text.append(other.text);
        this.after = other.after;
      }

      @Override
      public void next(double[] out) {
        Arrays.fill(out, 0);
        if (model.script == null) {
          out[ASCII.encode(String.valueOf(model.letter))[0]] = BOOST;
          return;
        }
        if (after < 0) {
          return;
        }
        String reply = text.substring(after);
        if (reply.equals(model.script)) {
          out[0] = BOOST;
        } else if (model.script.startsWith(reply)) {
          out[ASCII.encode(model.script.substring(reply.length(), reply.length() + 1))[0]] = BOOST;
        }
      }

      @Override
      protected void advance(int token) {
        text.append(ASCII.decode(new int[] {token}));
        if (text.toString().endsWith(model.promptEnd)) {
          after = text.length();
        }
      }

      @Override
      protected void rewind(int length) {
        text.setLength(0);
        after = -1;
        int[] kept = Arrays.copyOf(tokens(), length);
        for (int t : kept) {
          advance(t);
        }
      }

      @Override
      public LmState fork() {
        return new State(this);
      }
    }
  }

  private static List<Example> examples(String prefix, int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example(prefix + i, "Instruction " + prefix + i + "\tinput\nresponse " + i, List.of(), 1));
    }
    return out;
  }

  private static final String END = "Your choice:\n";

  @Test
  void generateModeReturnsTheGreedyTextWhichParsesAsThePaper() {
    String script = "[[C]]\nIt adds a topic the set lacks.";
    LmChooser chooser = LmChooser.generate(new FakeLm(END, script, ' '));
    String reply = chooser.choose(examples("s", 3), examples("c", 5));
    assertThat(reply).isEqualTo(script);
    assertThat(CandidateLabel.parse(reply, 5)).hasValue(2);
    assertThat(chooser.prompt(examples("s", 3), examples("c", 5))).endsWith(END)
        .contains("[E] Instruction c4 input response 4").contains("3. Instruction s2 input response 2");
  }

  @Test
  void generateModeDrivesAddOneInLikeAFixedChooser() {
    List<Example> pool = examples("p", 40);
    Settings settings = Settings.defaults(4).withWindows(3, 4);
    Result lm = AddOneIn.select(pool, 12, LmChooser.generate(new FakeLm(END, "[[C]] because", ' ')), settings);
    Result fixed = AddOneIn.select(pool, 12, (s, c) -> "[[C]]", settings);
    assertThat(lm).isEqualTo(fixed);
    // a model whose greedy reply never holds a label: every reply invalid, a clear error at the cap
    LmChooser rambling = new LmChooser(new FakeLm(END, null, 'x'), LmChooser.Mode.GENERATE, 8, p -> p);
    Settings capped = new Settings(3, 4, List.of(), 5, 4);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AddOneIn.select(pool, 12, rambling, capped))
        .isInstanceOf(BadInputException.class).hasMessageContaining("5 invalid in a row (the last: 'xxxxxxxx')");
  }

  @Test
  void scoreModePicksTheMostLikelyAnswerWithItsClosedFormLogprob() {
    LmChooser chooser = LmChooser.score(new FakeLm(END, "[[C]] because", ' '));
    List<Example> shown = examples("s", 2);
    List<Example> candidates = examples("c", 4);
    assertThat(chooser.choose(shown, candidates)).isEqualTo("[[C]]");
    double[] lp = chooser.answerLogprobs(chooser.prompt(shown, candidates), 4);
    double follow = BOOST - Math.log(Math.exp(BOOST) + V - 1); // the scripted token
    double miss = -Math.log(Math.exp(BOOST) + V - 1); // another token where one is boosted
    double flat = -Math.log(V); // off script: uniform
    assertThat(lp[2]).isCloseTo(5 * follow, within(1e-9));
    for (int i : new int[] {0, 1, 3}) {
      assertThat(lp[i]).isCloseTo(2 * follow + miss + 2 * flat, within(1e-9));
    }
    // a model that prefers the letter E everywhere: [[E]] in score mode
    LmChooser letters = LmChooser.score(new FakeLm(END, null, 'E'));
    assertThat(letters.choose(shown, examples("c", 6))).isEqualTo("[[E]]");
    assertThat(letters.choose(shown, examples("c", 4))).isEqualTo("[[A]]"); // E not shown: ties to the first
  }

  @Test
  void theTemplateWrapsThePromptAndBadSettingsAreClearErrors() {
    LmChooser chat = new LmChooser(new FakeLm(END, "[[B]]", ' '), LmChooser.Mode.GENERATE, 16,
        p -> "<user>\n" + p + "<assistant>\n");
    assertThat(chat.prompt(examples("s", 1), examples("c", 2))).startsWith("<user>\n").endsWith("<assistant>\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LmChooser(new FakeLm(END, "", ' '), LmChooser.Mode.SCORE, 0, p -> p))
        .isInstanceOf(BadInputException.class).hasMessageContaining("max new tokens = 0");
  }
}
