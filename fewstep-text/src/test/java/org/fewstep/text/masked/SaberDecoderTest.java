package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fewstep.text.model.HmmMaskedLm;
import org.junit.jupiter.api.Test;

/** Saber's invariants (discrete-and-data.md 4 f). */
class SaberDecoderTest {
  private static final HmmMaskedLm MOTIF = MaskedTestModels.moderate();

  @Test
  void theRemaskCountFollowsTheOfficialRule() {
    assertThat(SaberDecoder.remaskCount(2, 8, 2)).isEqualTo(1);
    assertThat(SaberDecoder.remaskCount(2, 8, 9)).isEqualTo(2);
    assertThat(SaberDecoder.remaskCount(2, 8, 17)).isEqualTo(3);
    assertThat(SaberDecoder.remaskCount(1, 8, 1)).isEqualTo(0);
    assertThat(SaberDecoder.remaskCount(6, 8, 6)).isEqualTo(3);
  }

  @Test
  void everyStepCommitsAtLeastNAndRemasksOnlyCommittedPositionsWithinTheRule() {
    for (String decoder : List.of("saber", "saber:n=3", "saber:block=8", "saber:temperature=1")) {
      List<MaskedStep> steps = new ArrayList<>();
      List<MaskedSample> samples = MaskedGeneration.of(MOTIF, MaskedDecoders.create(decoder)).length(32).rows(4).seed(2)
          .listener(steps::add).run();
      int n = decoder.contains("n=3") ? 3 : 2;
      List<Set<Integer>> decoded = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        decoded.add(new HashSet<>());
      }
      int remasks = 0;
      for (MaskedStep step : steps) {
        Set<Integer> d = decoded.get(step.row());
        int masked = 32 - d.size();
        assertThat(step.committed().length).as(decoder).isGreaterThanOrEqualTo(Math.min(n, masked));
        for (int i : step.committed()) {
          assertThat(d.add(i)).as(decoder + ": commits a masked position").isTrue();
        }
        // with blocks, a step that completes its block moves on instead of re-masking
        boolean blockDone = decoder.contains("block") && step.remasked().length == 0;
        if (step.masked() + step.remasked().length > 0 && !blockDone) {
          assertThat(step.remasked().length).as(decoder)
              .isEqualTo(Math.min(SaberDecoder.remaskCount(n, 8, step.committed().length), d.size()));
        }
        assertThat(step.remasked().length).isLessThan(step.committed().length);
        for (int i : step.remasked()) {
          assertThat(d.remove(i)).as(decoder + ": re-masks a decoded position").isTrue();
        }
        remasks += step.remasked().length;
        assertThat(step.masked()).isEqualTo(32 - d.size());
      }
      for (MaskedSample s : samples) {
        assertThat(s.nfe()).as(decoder + ": terminates within the length").isLessThanOrEqualTo(32);
        assertThat(java.util.Arrays.stream(s.tokens()).allMatch(t -> t >= 0 && t < MOTIF.symbols())).isTrue();
      }
      assertThat(remasks).isPositive();
    }
  }

  @Test
  void withoutBacktrackingNothingIsRemaskedAndFewerCallsAreNeeded() {
    List<MaskedSample> plain = MaskedGeneration.of(MOTIF, MaskedDecoders.create("saber:backtrack=false")).length(32).rows(4).seed(2).run();
    List<MaskedSample> backtracking = MaskedGeneration.of(MOTIF, MaskedDecoders.create("saber")).length(32).rows(4).seed(2).run();
    for (int r = 0; r < 4; r++) {
      assertThat(plain.get(r).remasked()).isZero();
      assertThat(plain.get(r).nfe()).isLessThanOrEqualTo(16);
      assertThat(backtracking.get(r).nfe()).isGreaterThan(plain.get(r).nfe());
    }
  }

  @Test
  void greedySaberIsDeterministic() {
    int[] a = MaskedGeneration.of(MOTIF, MaskedDecoders.create("saber")).length(24).seed(1).run().get(0).tokens();
    int[] b = MaskedGeneration.of(MOTIF, MaskedDecoders.create("saber")).length(24).seed(99).run().get(0).tokens();
    assertThat(a).containsExactly(b);
  }
}
