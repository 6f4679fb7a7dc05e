package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fewstep.text.model.MaskedModels;
import org.junit.jupiter.api.Test;

/** Fast-dLLM's block caches through the decoders, on the tiny transformer (discrete-and-data.md 2.4 item 6). */
class CachedDecodingTest {
  private static final MaskedLm MODEL = MaskedModels.create("tiny-transformer:seed=3");

  private static List<MaskedSample> run(String decoder) {
    return MaskedGeneration.of(MODEL, MaskedDecoders.create(decoder)).prompt(new int[] {0, 2, 4, 1}).length(32).rows(3).seed(1).run();
  }

  @Test
  void aCacheRefreshedEveryStepDecodesBitForBitAsNoCache() {
    for (String base : List.of("fast-dllm:block=8,threshold=0.7", "llada:block=8,steps=16", "localleap:block=8", "dparallel:block=8,temperature=1")) {
      List<MaskedSample> plain = run(base);
      for (String cache : List.of(",cache=dual,refresh=1", ",cache=prefix,refresh=1")) {
        List<MaskedSample> cached = run(base + cache);
        for (int r = 0; r < 3; r++) {
          assertThat(cached.get(r).tokens()).as(base + cache).containsExactly(plain.get(r).tokens());
          assertThat(cached.get(r).nfe()).isEqualTo(plain.get(r).nfe());
          assertThat(cached.get(r).fullForwards()).isEqualTo(cached.get(r).nfe());
        }
      }
    }
  }

  @Test
  void blockCachesRefreshOncePerBlockAndStayCloseToExactDecoding() {
    List<MaskedSample> plain = run("llada:block=8,steps=32");
    for (String cache : List.of("dual", "prefix")) {
      List<MaskedSample> cached = run("llada:block=8,steps=32,cache=" + cache);
      int differing = 0;
      for (int r = 0; r < 3; r++) {
        assertThat(cached.get(r).nfe()).isEqualTo(32);
        assertThat(cached.get(r).fullForwards()).as(cache).isEqualTo(4);
        for (int i = 0; i < 32; i++) {
          differing += cached.get(r).tokens()[i] != plain.get(r).tokens()[i] ? 1 : 0;
        }
      }
      // an approximation, not a different model: most tokens agree (measured: see docs/benchmarks.md)
      assertThat(differing).as(cache).isLessThan(3 * 32 / 2);
    }
  }
}
