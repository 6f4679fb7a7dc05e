package org.fewstep.text;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The byte strings of a vocabulary's ordinary tokens as a trie, flattened in depth-first preorder so
 * that a walk is a loop over arrays: node 0 is the root (the empty string), node {@code n > 0} is
 * reached from its parent by byte {@link #label}, sits at {@link #depth}, and its subtree ends just
 * before node {@link #subtreeEnd}. A walk that finds a node dead skips its whole subtree in one step,
 * so a token mask costs one automaton step per live trie node, not one per byte of every token
 * (the flattened trie of llguidance, decoding.md 15.2). Special tokens (the end token among them) and
 * unused ids are left out: they carry no text.
 */
public final class TokenTrie {
  private final byte[] labels;
  private final int[] depths;
  private final int[] subtreeEnds;
  /** Tokens ending at node n: {@code tokens[tokenStarts[n] .. tokenStarts[n + 1])}. */
  private final int[] tokenStarts;
  private final int[] tokens;
  private final int maxDepth;

  private TokenTrie(byte[] labels, int[] depths, int[] subtreeEnds, int[] tokenStarts, int[] tokens, int maxDepth) {
    this.labels = labels;
    this.depths = depths;
    this.subtreeEnds = subtreeEnds;
    this.tokenStarts = tokenStarts;
    this.tokens = tokens;
    this.maxDepth = maxDepth;
  }

  /** The trie of {@code vocabulary}'s used, non-special tokens. */
  public static TokenTrie of(Vocabulary vocabulary) {
    return of(vocabulary, id -> true);
  }

  /** The trie of those of {@code vocabulary}'s used, non-special tokens that {@code keep} selects. */
  public static TokenTrie of(Vocabulary vocabulary, java.util.function.IntPredicate keep) {
    Integer[] ids = new Integer[vocabulary.size()];
    int n = 0;
    for (int id = 0; id < vocabulary.size(); id++) {
      if (vocabulary.isUsed(id) && !vocabulary.isSpecial(id) && keep.test(id)) {
        ids[n++] = id;
      }
    }
    byte[][] bytes = new byte[vocabulary.size()][];
    for (int i = 0; i < n; i++) {
      bytes[ids[i]] = vocabulary.bytes(ids[i]);
    }
    Integer[] sorted = Arrays.copyOf(ids, n);
    Comparator<Integer> byBytes = (a, b) -> Arrays.compareUnsigned(bytes[a], bytes[b]);
    Arrays.sort(sorted, byBytes.thenComparing(Integer::intValue));
    // one node per distinct prefix: in sorted order, token i adds the nodes past its common prefix with i - 1
    int nodes = 1;
    int maxDepth = 0;
    for (int i = 0; i < n; i++) {
      byte[] b = bytes[sorted[i]];
      nodes += b.length - (i == 0 ? 0 : commonPrefix(bytes[sorted[i - 1]], b));
      maxDepth = Math.max(maxDepth, b.length);
    }
    byte[] labels = new byte[nodes];
    int[] depths = new int[nodes];
    int[] subtreeEnds = new int[nodes];
    int[] tokenStarts = new int[nodes + 1];
    int[] tokens = new int[n];
    int[] pathNode = new int[maxDepth + 1]; // the node at each depth on the current path
    int next = 1;
    for (int i = 0; i < n; i++) {
      byte[] b = bytes[sorted[i]];
      int shared = i == 0 ? 0 : commonPrefix(bytes[sorted[i - 1]], b);
      for (int d = shared + 1; d <= b.length; d++) {
        labels[next] = b[d - 1];
        depths[next] = d;
        pathNode[d] = next++;
      }
      tokenStarts[pathNode[b.length] + 1]++; // counted here, turned into offsets below
      tokens[i] = sorted[i];
    }
    for (int k = 0; k < nodes; k++) {
      tokenStarts[k + 1] += tokenStarts[k];
    }
    // sorted order puts a node's tokens together and in node order, so tokens[] is already grouped
    // subtree ends: the next node at the same or a smaller depth
    int[] stack = new int[maxDepth + 2];
    int top = 0;
    stack[top++] = 0;
    for (int k = 1; k < nodes; k++) {
      while (depths[stack[top - 1]] >= depths[k]) {
        subtreeEnds[stack[--top]] = k;
      }
      stack[top++] = k;
    }
    while (top > 0) {
      subtreeEnds[stack[--top]] = nodes;
    }
    return new TokenTrie(labels, depths, subtreeEnds, tokenStarts, tokens, maxDepth);
  }

  private static int commonPrefix(byte[] a, byte[] b) {
    int m = Arrays.mismatch(a, b);
    return m < 0 ? a.length : m;
  }

  /** Number of nodes, the root included. */
  public int nodes() {
    return labels.length;
  }

  /** The byte on the edge into node {@code n > 0}, 0..255. */
  public int label(int n) {
    return labels[n] & 0xFF;
  }

  /** The length of node {@code n}'s byte string. */
  public int depth(int n) {
    return depths[n];
  }

  /** The first node after node {@code n}'s subtree (its next sibling, or an ancestor's). */
  public int subtreeEnd(int n) {
    return subtreeEnds[n];
  }

  /** The longest token, in bytes. */
  public int maxDepth() {
    return maxDepth;
  }

  /** The first index into {@link #token} of the tokens whose bytes end at node {@code n}. */
  public int tokensFrom(int n) {
    return tokenStarts[n];
  }

  /** One past the last index into {@link #token} of node {@code n}'s tokens. */
  public int tokensTo(int n) {
    return tokenStarts[n + 1];
  }

  /** The token at index {@code k} (of {@code 0 .. tokenCount()}). */
  public int token(int k) {
    return tokens[k];
  }

  /** Number of tokens in the trie. */
  public int tokenCount() {
    return tokens.length;
  }
}
