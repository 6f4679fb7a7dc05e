package org.fewstep.text.generate;

import java.util.List;
import java.util.function.Supplier;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.LmState;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;
import org.fewstep.text.sample.TokenProcessor;

/** One token per step from a sampling chain: plain, greedy and EAD annealed sampling. */
final class ChainDecoder implements Decoder {
  private final String spec;
  private final Sampling sampling;
  private final Supplier<TokenProcessor> temperatureStage;

  ChainDecoder(String spec, Sampling sampling, Supplier<TokenProcessor> temperatureStage) {
    this.spec = spec;
    this.sampling = sampling;
    this.temperatureStage = temperatureStage;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt) {
    sampling.requireTokensOf(model.vocabulary());
    SamplerChain chain = sampling.chain(prompt, temperatureStage == null ? null : temperatureStage.get());
    int eos = model.vocabulary().eos();
    double[][] next = {logits};
    return (budget, rng, scoring) -> {
      double[] current = next[0];
      int token = chain.sample(current, rng);
      TokenChoice choice = scoring.choice(token, current, () -> chain.logProbability(token));
      chain.accept(token);
      if (token != eos) {
        next[0] = state.append(token)[1];
      }
      return List.of(choice);
    };
  }
}
