package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.Text;
import org.fewstep.text.generate.Completion;
import org.junit.jupiter.api.Test;

/** The language-model example of the README, verbatim, so that it keeps compiling and working. */
class TextReadmeExampleTest {
  @Test
  void readmeExample() {
    StringBuilder streamed = new StringBuilder();
    // --- README ---
    LanguageModel kjv = Text.model("kjv");                     // 5-gram over cl100k; built once, then cached
    List<Completion> out = Text.generate(kjv)
        .prompt("And God said").decoder("sample:top-p=0.9,temperature=0.8")
        .maxTokens(40).stop("\n").samples(3).seed(7).logprobs(2)
        .listener((sample, token, delta) -> streamed.append(delta))   // streaming, UTF-8 safe
        .run();
    double logprob = Text.score(kjv, "In the beginning God created the heaven and the earth.", true).total();

    // the position-scorer contract: k tokens in, k + 1 next-token rows out; fork and truncate
    LmState state = kjv.start();
    double[][] rows = state.append(kjv.tokenizer().encode(" Let there be light"));
    LmState branch = state.fork();
    branch.truncate(2);
    // --- end ---
    assertThat(out).hasSize(3);
    assertThat(streamed.toString()).isEqualTo(out.get(0).text() + out.get(1).text() + out.get(2).text());
    assertThat(out.get(0).tokens().get(0).top()).hasSize(2);
    assertThat(logprob).isBetween(-25.0, -15.0);
    assertThat(rows).hasNumberOfRows(state.length() + 1);
    assertThat(branch.length()).isEqualTo(2);
    assertThat(state.length()).isEqualTo(4);
  }
}
