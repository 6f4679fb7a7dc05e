package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled King James Bible and its cl100k n-gram models, trained once and then read from the cache. */
class KjvTest {
  private static final Path CACHE = Path.of("target", "kjv-cache-test");

  @BeforeAll
  static void emptyCache() throws IOException {
    if (Files.exists(CACHE)) {
      try (Stream<Path> files = Files.walk(CACHE)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    System.setProperty("fewstep.cache", CACHE.toString());
  }

  @Test
  void theVersesAreTheWholeBibleWithoutReferences() {
    List<String> verses = Kjv.verses();
    assertThat(verses).hasSize(31_102);
    assertThat(verses.get(0)).isEqualTo("In the beginning God created the heaven and the earth.");
    assertThat(verses.get(31_101)).isEqualTo("The grace of our Lord Jesus Christ be with you all. Amen.");
    assertThat(verses).noneMatch(v -> v.matches("^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ .*"));
  }

  @Test
  void modelsAreTrainedOnceCachedAndReloaded() {
    long start = System.nanoTime();
    NGramModel five = Kjv.model(5, Discount.modified());
    long built = System.nanoTime() - start;
    Path file = CACHE.resolve(Kjv.cacheName(5, Discount.modified()));
    assertThat(file).isRegularFile();
    assertThat(file.getFileName().toString()).matches("kjv-[0-9a-f]{12}-cl100k-5gram-modified-v1\\.ngram\\.gz");

    start = System.nanoTime();
    NGramModel again = Kjv.model(5, Discount.modified());
    long loaded = System.nanoTime() - start;
    assertThat(loaded).as("reading the cache (%d ms) vs training (%d ms)", loaded / 1_000_000, built / 1_000_000)
        .isLessThan(built * 3 / 4);
    assertThat(again.name()).isEqualTo("kjv-5gram");

    NGramModel two = Kjv.model(2, Discount.modified());
    assertThat(two.order()).isEqualTo(2);
    Tokenizer cl = five.tokenizer();
    assertThat(cl.name()).isEqualTo("cl100k");
    int[] verse = cl.encode("And God said, Let there be light: and there was light.");
    double logFive = five.logProbability(verse, true);
    double logTwo = two.logProbability(verse, true);
    assertThat(logFive).isFinite().isGreaterThan(logTwo);
    assertThat(again.logProbability(verse, true)).isEqualTo(logFive);

    LmState state = again.start();
    double[][] rows = state.append(cl.encode("And the LORD spake unto Moses, saying"));
    for (double[] row : rows) {
      assertThat(NGramModelTest.logSumExp(row)).isCloseTo(0, within(1e-12));
    }
    int colon = cl.encode(",")[0];
    assertThat(Math.exp(rows[rows.length - 1][colon])).as("p(',' | ... saying)").isGreaterThan(0.9);
  }
}
