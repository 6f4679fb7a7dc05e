package org.fewstep.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 run by fewstep against LangChain4j's own runner of the same files. */
class MiniLmTest {

  private static final String LONG = String.join(" ", java.util.Collections.nCopies(40,
      "The committee postponed its unbelievably contentious deliberations indefinitely."));

  private static final List<String> SENTENCES = List.of(
      "The cat sits on the mat.",
      "A feline is resting on the rug.",
      "Quarterly earnings exceeded the analysts' expectations.",
      "Ünïcödé, accents and CAPITALS: naïve café!",
      "x",
      "Programming is the art of telling another human what one wants the computer to do.",
      LONG);

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void agreesWithLangChain4j() {
    double[][] ours = MiniLm.create(3).embed(SENTENCES); // batches of 3: padding inside a batch
    AllMiniLmL6V2EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
    double worst = 0;
    for (int i = 0; i < SENTENCES.size(); i++) {
      float[] ref = theirs.embed(SENTENCES.get(i)).content().vector();
      assertThat(ours[i]).hasSize(ref.length).hasSize(384);
      for (int d = 0; d < ref.length; d++) {
        worst = Math.max(worst, Math.abs(ours[i][d] - ref[d]));
      }
      assertThat(dot(ours[i], ours[i])).isCloseTo(1.0, within(1e-12));
    }
    assertThat(worst).isLessThan(1e-5);
  }

  @Test
  void aParaphraseIsCloserThanAnUnrelatedSentence() {
    double[][] e = MiniLm.create().embed(SENTENCES.subList(0, 3));
    double para = dot(e[0], e[1]);
    double unrelated = dot(e[0], e[2]);
    assertThat(para).isGreaterThan(unrelated + 0.3);
  }

  @Test
  void longTextsArePiecedWithoutSplittingWords() {
    long[] ids = new long[1200];
    String[] tokens = new String[1200];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
      tokens[i] = i == 511 ? "##ing" : "w";
    }
    List<long[]> pieces = MiniLm.pieces(ids, tokens);
    assertThat(pieces).hasSize(3);
    assertThat(pieces.get(0)).hasSize(510 + 1); // [CLS], tokens 1..509, [SEP]: 511 is a ## so the cut moves back
    assertThat(pieces.get(0)[0]).isZero();
    assertThat(pieces.get(0)[pieces.get(0).length - 1]).isEqualTo(1199);
    assertThat(pieces.get(1)[1]).isEqualTo(510);
  }

  @Test
  void emptyTextIsAClearError() {
    assertThatThrownBy(() -> MiniLm.create().embed(List.of("fine", ""))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("texts[1]").hasMessageContaining("at least one token");
  }
}
