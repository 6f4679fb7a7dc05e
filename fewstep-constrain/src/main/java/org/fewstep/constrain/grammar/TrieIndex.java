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
  /**
   * Per node, what a walk reads at every step, in one word so that a step touches one cache line:
   * the byte into it (bits 0..7), its depth (8..15), its subtree's end (16..39) and the first token
   * ending there or {@link #spare} (40..63).
   */
  final long[] packed;
  /** Nodes where more than one token ends (a vocabulary with duplicate byte strings). */
  final boolean anyMore;
  /**
   * The subtree below each node n, in three words from {@code 3n}: the ASCII bytes that occur in it
   * (0..63, then 64..127), and how many bytes its deepest token adds to n (bits 0..7) with bit 8 set
   * when a byte of 128 or more occurs in it.
   */
  final long[] below;
  /** A token id past the vocabulary: masks carry one spare word for it. */
  final int spare;

  TrieIndex(TokenTrie trie, int vocabularySize) {
    this.trie = trie;
    this.spare = vocabularySize;
    int nodes = trie.nodes();
    if (nodes >= 1 << 24 || vocabularySize >= 1 << 24 || trie.maxDepth() > 255) {
      throw new IllegalArgumentException("a token trie of " + nodes + " nodes, " + vocabularySize
          + " tokens and tokens of up to " + trie.maxDepth() + " bytes (at most 2^24, 2^24 and 255 are indexed)");
    }
    this.packed = new long[nodes];
    boolean more = false;
    for (int n = 0; n < nodes; n++) {
      int from = trie.tokensFrom(n);
      int to = trie.tokensTo(n);
      long first = to > from ? trie.token(from) : spare;
      packed[n] = (n == 0 ? 0 : trie.label(n)) | (long) trie.depth(n) << 8 | (long) trie.subtreeEnd(n) << 16 | first << 40;
      more |= to - from > 1;
    }
    this.anyMore = more;
    this.below = new long[3 * nodes];
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
      below[3 * p] |= below[3 * n] | (b < 64 ? 1L << b : 0);
      below[3 * p + 1] |= below[3 * n + 1] | (b >= 64 && b < 128 ? 1L << b : 0);
      long other = (below[3 * p + 2] | below[3 * n + 2] | (b >= 128 ? 1 : 0) << 8) & 0x100;
      long height = Math.max(below[3 * p + 2] & 0xFF, (below[3 * n + 2] & 0xFF) + 1);
      below[3 * p + 2] = other | height;
    }
  }

  /** Whether the subtree below node {@code n}, at depth {@code d} on {@code chain}, is all live and exit-free. */
  boolean coveredBy(ClassChain chain, int n, int d) {
    long meta = below[3 * n + 2];
    return meta < 0x100 && chain.covers(d, (int) meta, below[3 * n], below[3 * n + 1]);
  }

  static int label(long packed) {
    return (int) packed & 0xFF;
  }

  static int depth(long packed) {
    return (int) (packed >>> 8) & 0xFF;
  }

  static int end(long packed) {
    return (int) (packed >>> 16) & 0xFFFFFF;
  }

  static int first(long packed) {
    return (int) (packed >>> 40);
  }

  /** Number of words of a mask with the spare bit: one more than the vocabulary needs when it is a multiple of 64. */
  int words() {
    return (spare + 64) >>> 6;
  }
}
