package org.fewstep.text.speculative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The drafts of one speculation round as a tree rooted at the current context: node 0 is the
 * context, every other node a draft token under its parent, with identical prefixes shared. Each
 * draft is a root-to-node path. A node that has children also has q: the draft's processed
 * next-token distribution there, from which its children were drawn.
 */
final class DraftTree {
  private final List<Integer> parents = new ArrayList<>();
  private final List<Integer> tokens = new ArrayList<>();
  private final List<Integer> depths = new ArrayList<>();
  private final List<double[]> qs = new ArrayList<>();
  private final List<int[]> drafts = new ArrayList<>();

  DraftTree(double[] rootQ) {
    parents.add(-1);
    tokens.add(-1);
    depths.add(0);
    qs.add(rootQ);
  }

  /** The child of {@code node} holding {@code token}, created if it is new. */
  int child(int node, int token) {
    for (int c = node + 1; c < tokens.size(); c++) {
      if (parents.get(c) == node && tokens.get(c) == token) {
        return c;
      }
    }
    parents.add(node);
    tokens.add(token);
    depths.add(depths.get(node) + 1);
    qs.add(null);
    return tokens.size() - 1;
  }

  void setQ(int node, double[] q) {
    qs.set(node, q);
  }

  /** Records a draft as the path of nodes from the root's child down. */
  void addDraft(int[] path) {
    drafts.add(path.clone());
  }

  int size() {
    return tokens.size();
  }

  int parent(int node) {
    return parents.get(node);
  }

  int token(int node) {
    return tokens.get(node);
  }

  double[] q(int node) {
    return qs.get(node);
  }

  int drafts() {
    return drafts.size();
  }

  /** The node of draft {@code d} at depth {@code depth} (1 = the first draft token), or -1 past its end. */
  int nodeOf(int d, int depth) {
    int[] path = drafts.get(d);
    return depth <= path.length ? path[depth - 1] : -1;
  }

  /** Whether all drafts lie on one path (the tree is a chain). */
  boolean linear() {
    for (int n = 1; n < tokens.size(); n++) {
      if (parents.get(n) != n - 1) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "DraftTree[tokens=" + tokens.subList(1, tokens.size()) + ", parents=" + parents.subList(1, parents.size())
        + ", drafts=" + drafts.stream().map(Arrays::toString).toList() + "]";
  }
}
