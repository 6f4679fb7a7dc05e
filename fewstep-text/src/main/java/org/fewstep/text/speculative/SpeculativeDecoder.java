package org.fewstep.text.speculative;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.TokenChoice;
import org.fewstep.text.sample.SamplerChain;
import org.fewstep.text.sample.Sampling;

/**
 * Speculative decoding over any target and draft that satisfy the language-model contract
 * (decoding.md 1-3): a round drafts up to K sequences of up to k tokens, scores all of them with one
 * target call (a chain by {@link LmState#append}, rolled back by {@link LmState#truncate} after a
 * rejection; a tree by {@link LmState#scoreTree}), and walks down the tree verifying the candidates
 * of each depth with a {@link Verifier}; the drafts that agree with the emitted token go on. A
 * round emits the accepted drafts and one more token (the residual draw, or a bonus token from the
 * target when every depth was accepted), so every round makes progress and the output is an exact
 * sample of the target's processed distribution. What the target has not consumed yet (the last
 * token of a round; after a tree, the accepted path too) is fed to it with the next round's drafts
 * ({@link LmState#appendAndScoreTree} for a tree), so each round is one target call.
 *
 * <p>Target and draft run the same sampling chain (decoding.md 0.2): p and q are the processed
 * distributions. Chains with state beyond a penalty history (mirostat) are refused.
 */
public final class SpeculativeDecoder implements Decoder {
  private final String spec;
  private final Sampling sampling;
  private final Verifier verifier;
  private final int k;
  private final int drafts;
  private final boolean adaptive;
  private final Function<int[], Drafter> drafter;
  private final LanguageModel draftModel;
  private final boolean track;
  private final SpeculationStats stats = new SpeculationStats();
  private int vocabularySize;
  private int eosId;

  /**
   * @param draftModel the draft model, or null for prompt lookup ({@code lookup} sizes then apply)
   * @param track      also compute each verified position's optimal and expected acceptance
   */
  SpeculativeDecoder(String spec, Sampling sampling, Verifier verifier, int k, int drafts, boolean adaptive,
      LanguageModel draftModel, int lookupMax, int lookupMin, boolean track) {
    if (sampling.mirostat() != 0) {
      throw new BadInputException("speculative decoding: mirostat's state follows the drawn tokens one by one; "
          + "use a sampler without mirostat");
    }
    this.spec = spec;
    this.sampling = sampling;
    this.verifier = verifier;
    this.k = k;
    this.drafts = drafts;
    this.adaptive = adaptive;
    this.draftModel = draftModel;
    this.track = track;
    this.drafter = prompt -> draftModel != null
        ? new ModelDrafter(draftModel, sampling.chain(prompt, null), prompt)
        : new PromptLookupDrafter(vocabularySize, eosId, prompt, lookupMax, lookupMin);
  }

  @Override
  public String spec() {
    return spec;
  }

  /** What the decoder did so far, over all its sequences. */
  public SpeculationStats stats() {
    return stats;
  }

  @Override
  public Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt) {
    if (draftModel != null && !draftModel.vocabulary().sameAs(model.vocabulary())) {
      throw BadInputException.of("draft model", draftModel.name(), "a model with the target's vocabulary ("
          + model.name() + ": " + model.vocabulary() + "; draft: " + draftModel.vocabulary() + ")");
    }
    sampling.requireTokensOf(model.vocabulary());
    vocabularySize = model.vocabulary().size();
    eosId = model.vocabulary().eos();
    return new Run(model, state, logits, prompt);
  }

  /** One sequence (package-private so that tests can check the target's and the drafter's states). */
  final class Run implements Sequence {
    private final LmState target;
    private final int eos;
    private final int size;
    private final Drafter draft;
    private SamplerChain chain;
    private double[] next;
    /** Emitted tokens the target has not consumed yet: fed with the next round's drafts. */
    private int[] unconsumed = new int[0];
    private int length;

    Run(LanguageModel model, LmState state, double[] logits, int[] prompt) {
      this.target = state;
      this.eos = model.vocabulary().eos();
      this.size = model.vocabulary().size();
      this.draft = drafter.apply(prompt);
      this.chain = sampling.chain(prompt, null);
      this.next = logits;
      this.length = k;
    }

    /** The target's state (for tests: it holds the prompt and the emitted tokens but the unconsumed). */
    LmState target() {
      return target;
    }

    /** The emitted tokens the target has not consumed yet. */
    int[] unconsumed() {
      return unconsumed.clone();
    }

    /** The drafter (for tests). */
    Drafter drafter() {
      return draft;
    }

    /** Frees the drafter's state (the target's is the caller's). */
    @Override
    public void close() {
      draft.close();
    }

    @Override
    public List<TokenChoice> next(int budget, Rng rng, Scoring scoring) {
      long draftCallsBefore = draft.calls();
      DraftTree tree = draft.propose(Math.min(length, budget - 1), drafts, verifier.scheme(), rng);
      int nodes = tree.size();
      boolean linear = tree.linear();
      int base = target.length();
      int[] tokens = new int[nodes - 1];
      int[] parents = new int[nodes - 1];
      for (int n = 1; n < nodes; n++) {
        parents[n - 1] = tree.parent(n) - 1;
        tokens[n - 1] = tree.token(n);
      }
      // one target call: the unconsumed tokens, then the drafts (a chain appended, a tree scored);
      // rows[offset + n] holds the target's logits after the path to tree node n (node 0: the context)
      double[][] rows;
      int offset;
      if (unconsumed.length == 0 && tokens.length == 0) {
        rows = new double[][] {next}; // nothing to score: the prompt's logits
        offset = 0;
      } else if (linear) {
        int[] fed = java.util.Arrays.copyOf(unconsumed, unconsumed.length + tokens.length);
        System.arraycopy(tokens, 0, fed, unconsumed.length, tokens.length);
        rows = target.append(fed);
        offset = unconsumed.length;
        stats.call();
      } else {
        rows = target.appendAndScoreTree(unconsumed, parents, tokens);
        offset = 0;
        stats.call();
      }
      List<TokenChoice> out = new ArrayList<>();
      List<Integer> emitted = new ArrayList<>();
      SamplerChain walk = chain.stateful() ? chain.copy() : chain;
      double[] p = new double[size];
      int node = 0;
      int[] alive = new int[tree.drafts()];
      int aliveCount = tree.drafts();
      for (int d = 0; d < aliveCount; d++) {
        alive[d] = d;
      }
      int depth = 0;
      int acceptedDepth = 0;
      while (true) {
        double[] logits = rows[offset + node];
        walk.distribution(logits, p);
        int[] candidates = new int[aliveCount];
        int count = 0;
        for (int a = 0; a < aliveCount; a++) {
          int child = tree.nodeOf(alive[a], depth + 1);
          if (child >= 0) {
            candidates[count] = tree.token(child);
            alive[count++] = alive[a];
          }
        }
        aliveCount = count;
        int token;
        boolean accepted;
        if (count == 0) { // no draft here: the bonus token (or an ordinary draw when nothing was drafted)
          token = new Categorical().setWeights("target distribution", p, size).sample(rng);
          accepted = false;
        } else {
          candidates = java.util.Arrays.copyOf(candidates, count);
          double[] q = tree.q(node);
          if (track) {
            stats.optimal(OptimalAcceptance.optimal(p, q, count, verifier.scheme()));
            if (OptimalAcceptance.hasClosedForm(verifier)) {
              stats.expected(OptimalAcceptance.expectedAcceptance(verifier, p, q, count));
            }
          }
          Verdict v = verifier.verify(p, q, candidates, rng);
          token = v.token();
          accepted = v.accepted() >= 0;
          stats.position(accepted);
          if (accepted) { // the drafts whose token is the emitted one go on
            int keep = 0;
            for (int a = 0; a < count; a++) {
              if (candidates[a] == token) {
                alive[keep++] = alive[a];
              }
            }
            aliveCount = keep;
          }
        }
        double lp = Math.log(p[token]);
        out.add(scoring.choice(token, logits, () -> lp));
        emitted.add(token);
        walk.accept(token);
        if (!accepted || token == eos) {
          break;
        }
        node = tree.nodeOf(alive[0], depth + 1);
        depth++;
        acceptedDepth = depth;
      }
      int last = emitted.get(emitted.size() - 1);
      if (linear && rows.length > 1) { // roll back the rejected drafts: keep the unconsumed and the accepted
        target.truncate(base + offset + acceptedDepth);
      }
      // a chain left the accepted drafts in the target; a tree was only scored, so its accepted path
      // goes with the next call too
      int from = linear ? emitted.size() - 1 : 0;
      int to = last == eos ? emitted.size() - 1 : emitted.size();
      unconsumed = emitted.subList(from, Math.max(from, to)).stream().mapToInt(Integer::intValue).toArray();
      chain = walk;
      int[] done = emitted.stream().mapToInt(Integer::intValue).toArray();
      draft.commit(done);
      stats.round(done.length);
      stats.draftCalls(draft.calls() - draftCallsBefore);
      if (adaptive) { // transformers' "heuristic" schedule: longer after a fully accepted round
        length = acceptedDepth == length ? Math.min(2 * k, length + 2) : Math.max(1, length - 1);
      }
      return out;
    }
  }
}
