package org.fewstep.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.Rng;
import org.fewstep.data.corpus.Fortunes;
import org.fewstep.data.curriculum.AlpGmm;
import org.fewstep.data.curriculum.TaskBox;
import org.fewstep.data.curriculum.Teacher;

import org.fewstep.data.rl.GvmAllocation;
import org.fewstep.data.select.AddOneIn;
import org.fewstep.data.select.EmbeddingChooser;
import org.fewstep.data.select.Example;
import org.fewstep.data.select.Rs2;
import org.fewstep.data.select.Selectors;
import org.junit.jupiter.api.Test;

/** The Java lines of docs/data.md, on a pool of two fortune categories so that embedding stays quick. */
class DataDocsExampleTest {
  @Test
  void docsExample() {
    List<Example> pool = new ArrayList<>(Fortunes.category("pets"));
    pool.addAll(Fortunes.category("medicine"));
    double[] gradNorms = {1, 2, 0, 3};
    double[] acceptRates = {0.5, 0.1, 0.3, 0.9};
    int prompts = 4;
    // --- docs/data.md ---
    int[] mig = Selectors.registry().create("mig").select(pool, 25, 0);
    AddOneIn.Result aoi = AddOneIn.select(pool, 25, new EmbeddingChooser(MiniLm.create()), AddOneIn.Settings.defaults(0));
    int[] round7 = Rs2.create(pool.size(), Rs2.Settings.defaults(0)).round(7);
    int[] draws = GvmAllocation.allocate(gradNorms, acceptRates, 8 * prompts, GvmAllocation.Settings.defaults());
    Teacher teacher = AlpGmm.withDefaults(TaskBox.unit(2), 1);
    // --- end ---
    assertThat(Arrays.stream(mig).distinct().count()).isEqualTo(25);
    // MIG balances the two categories (equal quality, identity-like graph): 13 and 12 or 12 and 13.
    long pets = Arrays.stream(mig).filter(i -> pool.get(i).labels().get(0).equals("pets")).count();
    assertThat(pets).isBetween(12L, 13L);
    assertThat(aoi.selected()).hasSize(25).doesNotHaveDuplicates();
    assertThat(round7).hasSize(Math.round(0.1f * pool.size()));
    assertThat(Arrays.stream(draws).sum()).isEqualTo(32);
    assertThat(draws[2]).isZero();
    double[] task = teacher.propose(new Rng(0));
    assertThat(task).hasSize(2);
    assertThat(Arrays.stream(task).allMatch(x -> x >= 0 && x <= 1)).isTrue();
  }
}
