package org.fewstep.text.speculative;

import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.sample.SamplerChain;

/**
 * Drafts with a smaller language model over the same vocabulary, each token drawn from the draft's
 * processed distribution (the same sampling chain as the target, decoding.md 0.2). One draft runs
 * on the drafter's own state, which is then truncated to what the target accepted, as an engine's
 * key/value cache is; several drafts fork the state per tree node. A scheme of distinct drafts
 * draws no more drafts than q has possible tokens (one at temperature 0).
 */
final class ModelDrafter implements Drafter {
  private final LmState state;
  private final SamplerChain chain;
  private final int eos;
  private final int vocabulary;
  private double[] next;
  private int drafted;
  private long calls;

  ModelDrafter(LanguageModel model, SamplerChain chain, int[] prompt) {
    this.state = model.start();
    this.chain = chain;
    this.eos = model.vocabulary().eos();
    this.vocabulary = model.vocabulary().size();
    this.next = state.prefill(prompt, null);
  }

  @Override
  public DraftTree propose(int k, int drafts, DraftScheme scheme, Rng rng) {
    drafted = 0;
    if (k == 0 || !possible(next)) { // no draft when the draft model rules out the text so far
      return new DraftTree(null);
    }
    DraftTree tree = new DraftTree(chain.distribution(next, new double[vocabulary]));
    if (scheme != DraftScheme.IID) { // distinct drafts: no more than q has possible tokens (1 when greedy)
      int support = 0;
      for (double v : tree.q(0)) {
        support += v > 0 ? 1 : 0;
      }
      drafts = Math.min(drafts, support);
    }
    int[] first = scheme.draw(tree.q(0), drafts, rng);
    if (drafts == 1) {
      linear(tree, first[0], k, rng);
      return tree;
    }
    LmState[] states = new LmState[k * drafts + 1];
    SamplerChain[] chains = new SamplerChain[k * drafts + 1];
    states[0] = state;
    chains[0] = chain;
    boolean stateful = chain.stateful(); // a chain without state serves every node
    for (int d = 0; d < drafts; d++) {
      int[] path = new int[k];
      int length = 0;
      int node = 0;
      int token = first[d];
      while (true) {
        int child = tree.child(node, token);
        path[length++] = child;
        if (states[child] == null) {
          states[child] = states[node].fork();
          double[] logits = states[child].append(token)[1];
          calls++;
          chains[child] = stateful ? chains[node].copy() : chain;
          chains[child].accept(token);
          if (token != eos && length < k) {
            tree.setQ(child, chains[child].distribution(logits, new double[vocabulary]));
          }
        }
        if (token == eos || length == k) {
          break;
        }
        node = child;
        token = DraftScheme.IID.draw(tree.q(node), 1, rng)[0];
      }
      tree.addDraft(java.util.Arrays.copyOf(path, length));
    }
    for (int node = 1; node < states.length; node++) { // the forks (states[0] is the drafter's own)
      if (states[node] != null) {
        states[node].close();
      }
    }
    return tree;
  }

  private static boolean possible(double[] logits) {
    for (double v : logits) {
      if (v > Double.NEGATIVE_INFINITY) {
        return true;
      }
    }
    return false;
  }

  /** One draft on the drafter's own state (truncated in {@link #commit}). */
  private void linear(DraftTree tree, int token, int k, Rng rng) {
    SamplerChain walk = chain.stateful() ? chain.copy() : chain;
    int[] path = new int[k];
    int length = 0;
    int node = 0;
    while (true) {
      int child = tree.child(node, token);
      path[length++] = child;
      double[] logits = state.append(token)[1];
      drafted++;
      calls++;
      walk.accept(token);
      if (token == eos || length == k) {
        break;
      }
      tree.setQ(child, walk.distribution(logits, new double[vocabulary]));
      node = child;
      token = DraftScheme.IID.draw(tree.q(node), 1, rng)[0];
    }
    tree.addDraft(java.util.Arrays.copyOf(path, length));
  }

  @Override
  public void commit(int[] emitted) {
    int keep = 0; // drafts the state already holds that were emitted as they are
    int base = state.length() - drafted;
    while (keep < drafted && keep < emitted.length && state.token(base + keep) == emitted[keep]) {
      keep++;
    }
    state.truncate(base + keep);
    drafted = 0;
    int[] rest = java.util.Arrays.copyOfRange(emitted, keep, emitted.length);
    if (rest.length > 0 && rest[rest.length - 1] == eos) {
      rest = java.util.Arrays.copyOf(rest, rest.length - 1); // the sequence is over
    }
    if (rest.length > 0) {
      next = state.prefill(rest, null);
      calls += rest.length;
    } else if (keep > 0) {
      next = state.append()[0];
    }
    for (int t : emitted) {
      chain.accept(t);
    }
  }

  @Override
  public long calls() {
    return calls;
  }

  @Override
  public int[] context() {
    return state.tokens();
  }

  @Override
  public void close() {
    state.close();
  }
}
