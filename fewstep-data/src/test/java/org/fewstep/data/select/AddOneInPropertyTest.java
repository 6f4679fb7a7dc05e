package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fewstep.core.Rng;
import org.fewstep.data.select.AddOneIn.Result;
import org.fewstep.data.select.AddOneIn.Settings;

/** Add-One-In's bookkeeping on random shapes with a chooser that answers validly or not at random. */
class AddOneInPropertyTest {

  @Property(tries = 300, seed = "20251128")
  void bookkeeping(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 1, max = 8) int aWs,
      @ForAll @IntRange(min = 1, max = 12) int bWs, @ForAll @IntRange(min = 0, max = 1000) int budgetDraw,
      @ForAll long seed) {
    int a = Math.min(aWs, n);
    int budget = a + budgetDraw % (n - a + 1);
    List<Example> pool = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pool.add(new Example("e" + i, "t", List.of(), 1));
    }
    Rng replies = new Rng(seed ^ 0x5A5AL);
    int[] invalid = {0};
    Chooser chooser = (shown, candidates) -> {
      assertThat(shown).hasSize(a);
      assertThat(candidates).hasSizeBetween(1, bWs);
      assertThat(candidates).doesNotContainAnyElementsOf(shown);
      if (replies.nextDouble() < 0.3) {
        invalid[0]++;
        return "no label";
      }
      return CandidateLabel.answer(replies.nextInt(candidates.size()));
    };
    Result r = AddOneIn.select(pool, budget, chooser, Settings.defaults(seed).withWindows(a, bWs));
    assertThat(r.selected()).hasSize(budget).doesNotHaveDuplicates();
    r.selected().forEach(id -> assertThat(pool.stream().anyMatch(e -> e.id().equals(id))).isTrue());
    assertThat(r.invalidReplies()).isEqualTo(invalid[0]);
    assertThat(r.chooserCalls()).isEqualTo(budget - a + invalid[0]);
    for (AddOneIn.Checkpoint c : r.checkpoints()) {
      assertThat(c.size()).isEqualTo((int) Math.floor(c.fraction() * n)).isBetween(1, budget);
    }
  }
}
