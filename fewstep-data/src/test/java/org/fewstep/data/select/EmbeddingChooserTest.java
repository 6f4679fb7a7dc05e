package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.data.embed.Embedder;
import org.junit.jupiter.api.Test;

/** The embedding chooser's quality-times-novelty rule on hand-computed windows. */
class EmbeddingChooserTest {

  /** An in-memory embedder over fixed vectors keyed by text; counts the texts it embedded. */
  private static final class FixedEmbedder implements Embedder {
    final Map<String, double[]> vectors;
    final List<String> embedded = new ArrayList<>();

    FixedEmbedder(Map<String, double[]> vectors) {
      this.vectors = vectors;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public double[][] embed(List<String> texts) {
      embedded.addAll(texts);
      return texts.stream().map(vectors::get).toArray(double[][]::new);
    }
  }

  private static final double H = Math.sqrt(0.5);

  private static Example ex(String id, double quality) {
    return new Example(id, id, List.of(), quality);
  }

  @Test
  void picksTheLargestQualityTimesNoveltyAgainstTheShownWindow() {
    FixedEmbedder embedder = new FixedEmbedder(Map.of(
        "s1", new double[] {1, 0}, "s2", new double[] {H, H},
        "same", new double[] {1, 0}, "up", new double[] {0, 1}, "away", new double[] {-1, 0},
        "down", new double[] {0, -1}));
    EmbeddingChooser chooser = new EmbeddingChooser(embedder);
    List<Example> shown = List.of(ex("s1", 1), ex("s2", 1));
    // scores q * (1 - max cos): same 1 * (1 - 1) = 0; up 0.5 * (1 - H) = 0.146; away 0.3 * (1 + H) = 0.512
    // (its cosines are -1 and -H); down 0.25 * (1 - 0) = 0.25 -> away, [[C]]
    List<Example> candidates = List.of(ex("same", 1), ex("up", 0.5), ex("away", 0.3), ex("down", 0.25));
    assertThat(chooser.choose(shown, candidates)).isEqualTo("[[C]]");
    // away at quality 0.1 scores 0.171 < down's 0.25 -> [[D]]
    List<Example> second = List.of(ex("same", 1), ex("up", 0.5), ex("away", 0.1), ex("down", 0.25));
    assertThat(chooser.choose(shown, second)).isEqualTo("[[D]]");
    assertThat(EmbeddingChooser.gain(0.5, H)).isCloseTo(0.5 * (1 - H), org.assertj.core.api.Assertions.within(1e-15));
    // each text embedded once (cached by id)
    assertThat(embedder.embedded).containsExactlyInAnyOrder("s1", "s2", "same", "up", "away", "down");
    // ties go to the first candidate
    assertThat(chooser.choose(shown, List.of(ex("up", 0.5), ex("up", 0.5)))).isEqualTo("[[A]]");
  }

  @Test
  void aWrongEmbedderIsAClearError() {
    Embedder wrong = new Embedder() {
      @Override
      public String name() {
        return "wrong";
      }

      @Override
      public int dimension() {
        return 3;
      }

      @Override
      public double[][] embed(List<String> texts) {
        return texts.stream().map(t -> new double[] {1, 0}).toArray(double[][]::new);
      }
    };
    assertThatThrownBy(() -> new EmbeddingChooser(wrong).choose(List.of(ex("a", 1)), List.of(ex("b", 1))))
        .isInstanceOf(BadInputException.class).hasMessageContaining("embedding length from wrong = 2");
    assertThatThrownBy(() -> new EmbeddingChooser(wrong).choose(List.of(ex("a", 1)), List.of()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("candidates = 0");
  }
}
