package org.fewstep.text.speculative;

import java.util.Arrays;
import org.fewstep.core.Rng;

/**
 * Prompt lookup decoding (Saxena 2023; transformers' {@code prompt_lookup_num_tokens}): the draft
 * is what followed the most recent earlier occurrence of the context's last n tokens, trying n from
 * {@code maxMatch} down to {@code minMatch}. The draft is deterministic, q = a point mass, so the
 * standard verifier accepts a draft token with probability p(token) and otherwise draws from p
 * without it (decoding.md 1). No match: no draft, and the round is one ordinary draw.
 */
final class PromptLookupDrafter implements Drafter {
  private final int vocabulary;
  private final int maxMatch;
  private final int minMatch;
  private int[] context;
  private int length;

  private final int eos;

  PromptLookupDrafter(int vocabulary, int eos, int[] prompt, int maxMatch, int minMatch) {
    this.vocabulary = vocabulary;
    this.eos = eos;
    this.maxMatch = maxMatch;
    this.minMatch = minMatch;
    this.context = Arrays.copyOf(prompt, Math.max(16, 2 * prompt.length));
    this.length = prompt.length;
  }

  @Override
  public DraftTree propose(int k, int drafts, DraftScheme scheme, Rng rng) {
    int[] draft = k == 0 ? new int[0] : lookup(k);
    DraftTree tree = new DraftTree(draft.length == 0 ? null : pointMass(draft[0]));
    int node = 0;
    int[] path = new int[draft.length];
    for (int i = 0; i < draft.length; i++) {
      node = tree.child(node, draft[i]);
      path[i] = node;
      if (i + 1 < draft.length) {
        tree.setQ(node, pointMass(draft[i + 1]));
      }
    }
    if (draft.length > 0) {
      tree.addDraft(path);
    }
    return tree;
  }

  /** The tokens after the latest earlier match of the longest matching suffix, at most k. */
  int[] lookup(int k) {
    for (int n = Math.min(maxMatch, length - 1); n >= minMatch; n--) {
      for (int start = length - n - 1; start >= 0; start--) {
        if (Arrays.equals(context, start, start + n, context, length - n, length)) {
          int from = start + n;
          int to = Math.min(length, from + k);
          for (int i = from; i < to; i++) {
            if (context[i] == eos) { // nothing after an end can be emitted: the draft stops there
              to = i + 1;
              break;
            }
          }
          return Arrays.copyOfRange(context, from, to);
        }
      }
    }
    return new int[0];
  }

  private double[] pointMass(int token) {
    double[] q = new double[vocabulary];
    q[token] = 1;
    return q;
  }

  @Override
  public void commit(int[] emitted) {
    if (length + emitted.length > context.length) {
      context = Arrays.copyOf(context, 2 * (length + emitted.length));
    }
    System.arraycopy(emitted, 0, context, length, emitted.length);
    length += emitted.length;
  }

  @Override
  public long calls() {
    return 0;
  }

  @Override
  public int[] context() {
    return Arrays.copyOf(context, length);
  }
}
