package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fewstep.text.masked.MaskedDecoders;
import org.fewstep.text.masked.MaskedGeneration;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MaskedSample;
import org.fewstep.text.model.MaskedModels;
import org.junit.jupiter.api.Test;

/** The masked-diffusion example of the README, verbatim. */
class MaskedReadmeExampleTest {
  @Test
  void readmeExample() {
    AtomicInteger committed = new AtomicInteger();
    // --- README ---
    MaskedLm hmm = MaskedModels.create("motif-hmm");
    List<MaskedSample> out = MaskedGeneration.of(hmm, MaskedDecoders.create("localleap:threshold=0.9,relaxed=0.75"))
        .length(64).rows(4).seed(1)
        .listener(step -> committed.addAndGet(step.committed().length))   // every step of every row
        .run();
    String text = out.get(0).text(hmm.tokenizer());
    int calls = out.get(0).nfe();
    // --- end ---
    assertThat(committed.get()).isEqualTo(4 * 64);
    assertThat(text.split(" ")).hasSize(64);
    assertThat(calls).isBetween(2, 64);
  }
}
