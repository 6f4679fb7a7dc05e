package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.data.corpus.Fortunes;
import org.fewstep.data.embed.Embedder;
import org.junit.jupiter.api.Test;

/** {@link EmbeddingTagger}: MIG's tags from an embedding model. */
class MigTagsTest {

  /** Tags are unit vectors on axes 0..3; a text "x,y" embeds to the normalised mix of those axes. */
  private static final Embedder AXES = new Embedder() {
    @Override
    public String name() {
      return "axes";
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public double[][] embed(List<String> texts) {
      double[][] out = new double[texts.size()][4];
      for (int i = 0; i < out.length; i++) {
        String t = texts.get(i);
        double[] w = t.startsWith("item:")
            ? java.util.Arrays.stream(t.substring(5).split(",")).mapToDouble(Double::parseDouble).toArray()
            : unit("abcd".indexOf(t.charAt(0)));
        double n = Math.sqrt(java.util.Arrays.stream(w).map(x -> x * x).sum());
        for (int d = 0; d < 4; d++) {
          out[i][d] = w[d] / n;
        }
      }
      return out;
    }

    private double[] unit(int axis) {
      double[] u = new double[4];
      u[axis] = 1;
      return u;
    }
  };

  @Test
  void topKByCosineTiesToTheEarlierTagAndOwnLabelsSkipped() {
    EmbeddingTagger tagger = EmbeddingTagger.create(List.of("a", "b", "c", "d"), AXES, 2);
    double[][] e = AXES.embed(List.of("item:1,3,3,2", "item:4,0,1,2"));
    assertThat(tagger.tags(e[0], List.of())).containsExactly("b", "c");
    assertThat(tagger.tags(e[1], List.of())).containsExactly("a", "d");
    assertThat(tagger.tags(e[1], List.of("a"))).containsExactly("d", "c");
    List<Example> items = List.of(new Example("x", "t", List.of("cat"), 0.5), new Example("y", "u", List.of("a"), 1));
    List<Example> tagged = tagger.tag(items, e);
    assertThat(tagged.get(0).labels()).containsExactly("cat", "b", "c");
    assertThat(tagged.get(1).labels()).containsExactly("a", "d", "c");
    assertThat(tagged.get(0).quality()).isEqualTo(0.5);
    assertThatThrownBy(() -> EmbeddingTagger.create(List.of("a", "b"), AXES, 3)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> EmbeddingTagger.create(List.of("a", "a"), AXES, 1)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> tagger.tag(items, new double[1][4])).isInstanceOf(BadInputException.class);
  }

  @Test
  void bundledTopicsAreDistinctAndNeverACategory() {
    List<String> topics = EmbeddingTagger.topics();
    assertThat(topics).hasSizeBetween(100, 200).doesNotHaveDuplicates().contains("doctors", "physicians");
    assertThat(topics).doesNotContainAnyElementsOf(Fortunes.CATEGORIES);
  }
}
