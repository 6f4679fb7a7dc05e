package org.fewstep.constrain.grammar;

import org.fewstep.text.TokenTrie;

/**
 * What a mask walk needs to know about each node of a {@link TokenTrie} beyond the trie itself: the
 * token that ends there (or a spare id, so that a walk sets it without a branch), and a summary of
 * its subtree (the ASCII bytes that occur below it, whether any other byte does, and how much deeper
 * it goes). With the summary a walk can take a whole subtree at once where the automaton's state
 * cannot change in a way that matters over those bytes ({@link ClassChain}). Built once per trie.
 */
final class TrieIndex {
  final TokenTrie trie;
  /** The first token ending at each node, or {@link #spare} when none. */
  final int[] first;
  /** Nodes where more than one token ends (a vocabulary with duplicate byte strings). */
  final boolean anyMore;
  /** The ASCII bytes below each node: 0..63 and 64..127. */
  final long[] belowLow;
  final long[] belowHigh;
  /** Whether a byte of 128 or more occurs below each node. */
  final boolean[] belowOther;
  /** How many bytes the deepest token below each node adds to it (read with {@code & 0xFF}). */
  final byte[] height;
  /** A token id past the vocabulary: masks carry one spare word for it. */
  final int spare;

  TrieIndex(TokenTrie trie, int vocabularySize) {
    this.trie = trie;
    this.spare = vocabularySize;
    int nodes = trie.nodes();
    this.first = new int[nodes];
    boolean more = false;
    for (int n = 0; n < nodes; n++) {
      int from = trie.tokensFrom(n);
      int to = trie.tokensTo(n);
      first[n] = to > from ? trie.token(from) : spare;
      more |= to - from > 1;
    }
    this.anyMore = more;
    this.belowLow = new long[nodes];
    this.belowHigh = new long[nodes];
    this.belowOther = new boolean[nodes];
    this.height = new byte[nodes];
    int[] parent = new int[nodes];
    int[] path = new int[trie.maxDepth() + 1];
    for (int n = 1; n < nodes; n++) {
      int d = trie.depth(n);
      path[d] = n;
      parent[n] = path[d - 1];
    }
    for (int n = nodes - 1; n >= 1; n--) {
      int p = parent[n];
      int b = trie.label(n);
      belowLow[p] |= belowLow[n] | (b < 64 ? 1L << b : 0);
      belowHigh[p] |= belowHigh[n] | (b >= 64 && b < 128 ? 1L << b : 0);
      belowOther[p] |= belowOther[n] || b >= 128;
      height[p] = (byte) Math.max(height[p] & 0xFF, (height[n] & 0xFF) + 1);
    }
  }

  /** Number of words of a mask with the spare bit: one more than the vocabulary needs when it is a multiple of 64. */
  int words() {
    return (spare + 64) >>> 6;
  }
}
