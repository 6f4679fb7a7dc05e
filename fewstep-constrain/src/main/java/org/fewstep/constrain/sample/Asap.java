package org.fewstep.constrain.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.core.math.Softmax;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;

/**
 * Grammar-aligned decoding by adaptive sampling with approximate expected futures, ASAp (Park, Wang,
 * Berg-Kirkpatrick, Polikarpova and D'Antoni, NeurIPS 2024; decoding.md 6). The target is the model
 * conditioned on the language, Q(w) = P(w) 1[w in L] / Z, whose next-token law is
 * Q(t | w) = P(t | w) EFG(wt) / EFG(w) with EFG(w) the probability that a continuation of w ends in
 * L. The sampler keeps, across samples, a trie of the prefixes sampled so far with over-estimates
 * EFĜ >= EFG: a node is expanded on its first visit (one model call; each allowed token of positive
 * probability gets a child with EFĜ = 1, masked tokens implicitly 0, the end child of a string of L
 * exactly 1), the next token is drawn in proportion to P(t | w) EFĜ(wt), and after each sample the
 * nodes on its path are recomputed bottom-up, EFĜ(w) = sum_t P(t | w) EFĜ(wt) (decoding.md 6(b)).
 *
 * <p>The first sample's law is that of locally constrained decoding; EFĜ only decreases, equals EFG
 * on fully explored subtrees, and once every viable prefix of a finite language is expanded
 * EFĜ(root) = Z and each sample is an exact draw from Q. Samples are not independent: each depends on
 * the trie built by the earlier ones (the sampler is the method's state, which is why it is an
 * object). Values are kept as logarithms, so long prefixes do not underflow. A path that reaches a
 * prefix after which the model gives every allowed token probability zero gets EFĜ 0 and the sample
 * restarts from the root with the updated trie; a root at EFĜ 0 (the language has probability zero
 * under the model) is a {@link BadInputException}. Methods are synchronized: one trie, one sample at
 * a time.
 */
public final class Asap {
  /**
   * One sample.
   *
   * @param tokens   the generated tokens (the end token last when finished)
   * @param finished whether it ended with the end token (false when cut at the token limit)
   * @param logProbs  the model's log P(t | w) of each token
   * @param samplingLogProbs the log of the probability each token was drawn with (P(t | w) EFĜ(wt) / EFĜ(w)
   *                 at that moment)
   */
  public record Sample(int[] tokens, boolean finished, double[] logProbs, double[] samplingLogProbs) {
    public Sample {
      tokens = tokens.clone();
      logProbs = logProbs.clone();
      samplingLogProbs = samplingLogProbs.clone();
    }

    @Override
    public int[] tokens() {
      return tokens.clone();
    }

    @Override
    public double[] logProbs() {
      return logProbs.clone();
    }

    @Override
    public double[] samplingLogProbs() {
      return samplingLogProbs.clone();
    }
  }

  /** A visited prefix; expanded once the model scored it. */
  static final class Node {
    final ConstraintState state;
    /** Allowed tokens of positive model probability, ascending (null until expanded). */
    int[] tokens;
    /** log P(t | w) of {@link #tokens}. */
    double[] logProb;
    /** log EFĜ(w t) of {@link #tokens} (0 = an EFĜ of 1 until the child is explored). */
    double[] logEfg;
    Node[] children;
    /** log EFĜ(w). */
    double logEfgHere;

    Node(ConstraintState state) {
      this.state = state;
    }

    boolean expanded() {
      return tokens != null;
    }

    int indexOf(int token) {
      return Arrays.binarySearch(tokens, token);
    }

    /** EFĜ(w) = sum_t P(t | w) EFĜ(wt), in logs; -Infinity without children. */
    void recompute(double[] work) {
      if (tokens.length == 0) {
        logEfgHere = Double.NEGATIVE_INFINITY;
        return;
      }
      double[] x = new double[tokens.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = logProb[i] + logEfg[i];
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : x) {
        max = Math.max(max, v);
      }
      logEfgHere = max == Double.NEGATIVE_INFINITY ? max : Softmax.logSumExp("log EFG terms", x, x.length, work);
    }
  }

  /** Restarts of one sample after dead ends before giving up (each restart prunes a dead prefix). */
  static final int MAX_RESTARTS = 1000;

  private final LanguageModel model;
  private final TokenConstraint constraint;
  private final int[] prompt;
  private final int eos;
  private final int size;
  private final Node root;
  private final long[] words;
  private final double[] masked;
  private final Categorical categorical = new Categorical();
  private double[] work;
  private int nodes = 1;
  private long modelCalls;

  /** An ASAp sampler of {@code model} conditioned on {@code constraint}, from the empty prompt. */
  public Asap(LanguageModel model, TokenConstraint constraint) {
    this(model, constraint, new int[0]);
  }

  /** An ASAp sampler of the continuations of {@code prompt} (token ids, not constrained). */
  public Asap(LanguageModel model, TokenConstraint constraint, int[] prompt) {
    constraint.requireVocabularyOf(model);
    this.model = model;
    this.constraint = constraint;
    this.prompt = prompt.clone();
    this.eos = model.vocabulary().eos();
    this.size = model.vocabulary().size();
    this.root = new Node(constraint.start());
    this.words = new long[Masking.words(size)];
    this.masked = new double[size];
    this.work = new double[Math.max(16, size)];
  }

  /** One sample of at most {@code maxTokens} tokens (end token included), from a fresh model state. */
  public synchronized Sample sample(Rng rng, int maxTokens) {
    try (LmState state = model.start()) {
      double[] first = state.prefill(prompt, null);
      return sample(state, first, rng, maxTokens);
    }
  }

  /** One sample of at most 1024 tokens. */
  public Sample sample(Rng rng) {
    return sample(rng, 1024);
  }

  /**
   * One sample continuing {@code state}, which has consumed the prompt and whose next-token logits
   * are {@code logits} (used only when the root is not expanded yet). The state is consumed: tokens
   * are appended to it only where an unexpanded node needs the model.
   */
  synchronized Sample sample(LmState state, double[] logits, Rng rng, int maxTokens) {
    BadInputException.requireAtLeast("max tokens", maxTokens, 1);
    int base = state.length();
    for (int attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
      if (root.expanded() && root.logEfgHere == Double.NEGATIVE_INFINITY) {
        break;
      }
      List<Node> path = new ArrayList<>();
      List<Integer> chosen = new ArrayList<>();
      List<double[]> scores = new ArrayList<>();
      Node node = root;
      int consumed = 0; // tokens of the path already appended to state
      boolean finished = false;
      boolean dead = false;
      while (chosen.size() < maxTokens) {
        path.add(node);
        if (!node.expanded()) {
          double[] row;
          if (chosen.isEmpty()) { // the root: its row is the one given
            row = logits;
          } else {
            int[] pending = chosen.subList(consumed, chosen.size()).stream().mapToInt(Integer::intValue).toArray();
            row = state.prefill(pending, null);
            consumed = chosen.size();
          }
          modelCalls++;
          expand(node, row);
        }
        if (node.tokens.length == 0 || node.logEfgHere == Double.NEGATIVE_INFINITY) {
          dead = true;
          break;
        }
        int i = draw(node, rng);
        int token = node.tokens[i];
        chosen.add(token);
        scores.add(new double[] {node.logProb[i], categorical.logProbability(i)});
        if (token == eos) {
          finished = true;
          break;
        }
        if (node.children[i] == null) {
          node.children[i] = new Node(node.state.advance(token));
          nodes++;
        }
        node = node.children[i];
      }
      update(path, chosen);
      if (!dead) {
        int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
        return new Sample(out, finished, scores.stream().mapToDouble(v -> v[0]).toArray(),
            scores.stream().mapToDouble(v -> v[1]).toArray());
      }
      state.truncate(base);
    }
    throw BadInputException.of("probability of the language of " + constraint.describe() + " under " + model.name(), 0,
        "a language with positive probability under the model (every sampled path ended in a dead end)");
  }

  /** The children of {@code node} from its model row: allowed tokens of positive probability, EFĜ 1. */
  private void expand(Node node, double[] row) {
    double logNorm = Softmax.logSumExp("logits", row, size, ensureWork());
    int possible = Masking.mask(node.state, row, masked, words);
    int[] tokens = new int[possible];
    double[] logProb = new double[possible];
    for (int t = 0, k = 0; t < size; t++) {
      if (masked[t] > Double.NEGATIVE_INFINITY) {
        tokens[k] = t;
        logProb[k++] = masked[t] - logNorm;
      }
    }
    node.tokens = tokens;
    node.logProb = logProb;
    node.logEfg = new double[possible]; // log 1: optimistic, exact for the end child of a string of L
    node.children = new Node[possible];
    node.recompute(ensureWork());
  }

  /** Index of a child drawn in proportion to P(t | w) EFĜ(wt). */
  private int draw(Node node, Rng rng) {
    int k = node.tokens.length;
    double[] x = new double[k];
    for (int i = 0; i < k; i++) {
      x[i] = node.logProb[i] + node.logEfg[i];
    }
    return categorical.setLogits("ASAp child weights", x, k).sample(rng);
  }

  /** Bottom-up recomputation along the sampled path (decoding.md 6(b)). */
  private void update(List<Node> path, List<Integer> chosen) {
    for (int d = path.size() - 1; d >= 0; d--) {
      Node n = path.get(d);
      if (!n.expanded()) {
        continue;
      }
      if (d + 1 < path.size()) {
        int i = n.indexOf(chosen.get(d));
        n.logEfg[i] = path.get(d + 1).expanded() ? path.get(d + 1).logEfgHere : n.logEfg[i];
      }
      n.recompute(ensureWork());
    }
  }

  private double[] ensureWork() {
    if (work.length < size) {
      work = new double[size];
    }
    return work;
  }

  /** EFĜ(root): an upper bound on Z = P(L) (1 before the first sample), equal to Z once fully explored. */
  public synchronized double rootEfg() {
    return root.expanded() ? Math.exp(root.logEfgHere) : 1.0;
  }

  /**
   * EFĜ of {@code prefix} in the trie: 1 for an allowed prefix not yet visited, 0 for one the
   * constraint or the model rules out, and the end token's EFĜ (1) for a finished string.
   */
  public synchronized double efg(int... prefix) {
    if (prefix.length == 0) {
      return rootEfg();
    }
    Node node = root;
    for (int j = 0; j < prefix.length; j++) {
      if (!node.expanded()) {
        return allowsRest(node.state, prefix, j) ? 1.0 : 0.0;
      }
      int i = node.indexOf(prefix[j]);
      if (i < 0) {
        return 0.0;
      }
      if (j == prefix.length - 1) {
        return Math.exp(node.logEfg[i]);
      }
      if (prefix[j] == eos) {
        return 0.0; // nothing follows the end
      }
      if (node.children[i] == null) {
        return allowsRest(node.state.advance(prefix[j]), prefix, j + 1) ? 1.0 : 0.0;
      }
      node = node.children[i];
    }
    throw new IllegalStateException("unreachable");
  }

  private static boolean allowsRest(ConstraintState s, int[] prefix, int from) {
    for (int j = from; j < prefix.length; j++) {
      if (!s.allows(prefix[j])) {
        return false;
      }
      s = s.advance(prefix[j]);
    }
    return true;
  }

  /**
   * The probability that the next sample is exactly {@code tokens} (end token included) under the
   * current trie, without changing it: the product of P(t | w) EFĜ(wt) / sum over the allowed
   * children; unexpanded nodes on the way are scored by the model (not stored), as on a first visit.
   */
  public synchronized double probability(int... tokens) {
    double logP = 0;
    Node node = root;
    ConstraintState state = root.state;
    try (LmState lm = model.start()) {
      double[] row = lm.prefill(prompt, null);
      for (int j = 0; j < tokens.length; j++) {
        int t = tokens[j];
        if (node != null && node.expanded()) {
          int i = node.indexOf(t);
          if (i < 0 || node.logEfgHere == Double.NEGATIVE_INFINITY) {
            return 0.0;
          }
          logP += node.logProb[i] + node.logEfg[i] - node.logEfgHere;
          node = node.children[i];
        } else {
          node = null; // below the explored trie every allowed child has EFĜ 1: local renormalisation
          int possible = Masking.mask(state, row, masked, words);
          if (possible == 0 || masked[t] == Double.NEGATIVE_INFINITY) {
            return 0.0;
          }
          logP += masked[t] - Softmax.logSumExp("masked logits", masked, size, ensureWork());
        }
        if (!state.allows(t)) {
          return 0.0;
        }
        state = state.advance(t);
        if (t != eos && j + 1 < tokens.length) {
          row = lm.append(t)[1];
        }
      }
    }
    return Math.exp(logP);
  }

  /** Number of trie nodes (visited prefixes). */
  public synchronized int nodes() {
    return nodes;
  }

  /** Number of model calls made for expansions (one per expanded node). */
  public synchronized long modelCalls() {
    return modelCalls;
  }

  /** The constraint conditioned on. */
  public TokenConstraint constraint() {
    return constraint;
  }
}
