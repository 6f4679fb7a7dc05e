package org.fewstep.text.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * Interpolated Kneser-Ney the slow, literal way, as the oracle of {@link NGramModel}: n-grams are
 * lists in hash maps, every count is recounted from the padded sequences, every probability is the
 * recursion p(w|h) = max(c(hw) - D(c(hw)), 0) / c(h.) + gamma(h) p(w|h') with sums over the whole
 * vocabulary. Only the discount estimate (Discount#discounts) is shared with the model.
 */
final class KneserNeyOracle {
  private static final int BOS = -1;
  private final int order;
  private final Vocabulary vocabulary;
  private final List<Map<List<Integer>, Integer>> counts = new ArrayList<>();
  private final double[][] discounts;

  KneserNeyOracle(Tokenizer tokenizer, List<String> lines, int order, Discount discount) {
    this.order = order;
    this.vocabulary = tokenizer.vocabulary();
    List<Map<List<Integer>, Integer>> raw = new ArrayList<>();
    for (int k = 0; k <= order; k++) {
      raw.add(new HashMap<>());
    }
    for (String line : lines) {
      List<Integer> padded = new ArrayList<>();
      for (int j = 0; j < order - 1; j++) {
        padded.add(BOS);
      }
      for (int id : tokenizer.encode(line)) {
        padded.add(id);
      }
      padded.add(vocabulary.eos());
      for (int i = order - 1; i < padded.size(); i++) {
        for (int k = 1; k <= order; k++) {
          raw.get(k).merge(List.copyOf(padded.subList(i - k + 1, i + 1)), 1, Integer::sum);
        }
      }
    }
    counts.add(Map.of());
    for (int k = 1; k <= order; k++) {
      // N1+(. g): the distinct tokens seen right before g, from the (k+1)-grams that end with g
      Map<List<Integer>, Set<Integer>> before = new HashMap<>();
      if (k < order) {
        for (List<Integer> longer : raw.get(k + 1).keySet()) {
          before.computeIfAbsent(longer.subList(1, k + 1), g -> new HashSet<>()).add(longer.get(0));
        }
      }
      Map<List<Integer>, Integer> adjusted = new HashMap<>();
      for (Map.Entry<List<Integer>, Integer> e : raw.get(k).entrySet()) {
        List<Integer> gram = e.getKey();
        boolean raws = k == order || gram.get(0) == BOS;
        adjusted.put(gram, raws ? e.getValue() : before.get(gram).size());
      }
      counts.add(adjusted);
    }
    discounts = new double[order + 1][];
    for (int k = 1; k <= order; k++) {
      long[] n = new long[5];
      for (int c : counts.get(k).values()) {
        if (c <= 4) {
          n[c]++;
        }
      }
      discounts[k] = discount.discounts(n);
    }
  }

  /** p(w | the tokens of {@code prefix}), the context padded with BOS and cut to order - 1 tokens. */
  double probability(int[] prefix, int w) {
    List<Integer> context = new ArrayList<>();
    for (int j = order - 1; j >= 1; j--) {
      int i = prefix.length - j;
      context.add(i >= 0 ? prefix[i] : BOS);
    }
    return probability(context, w);
  }

  private double probability(List<Integer> h, int w) {
    if (!vocabulary.isUsed(w)) {
      return 0;
    }
    int k = h.size() + 1;
    double lower = k == 1 ? 1.0 / vocabulary.usedCount() : probability(h.subList(1, h.size()), w);
    Map<List<Integer>, Integer> level = counts.get(k);
    double total = 0;
    double mass = 0;
    for (int x = 0; x < vocabulary.size(); x++) {
      Integer c = level.get(append(h, x));
      if (c != null) {
        total += c;
        mass += discount(k, c);
      }
    }
    if (total == 0) {
      return lower;
    }
    Integer c = level.get(append(h, w));
    double alpha = c == null ? 0 : Math.max(c - discount(k, c), 0) / total;
    return alpha + mass / total * lower;
  }

  private double discount(int k, int count) {
    return discounts[k][Math.min(count, 3) - 1];
  }

  private static List<Integer> append(List<Integer> h, int w) {
    List<Integer> out = new ArrayList<>(h);
    out.add(w);
    return out;
  }
}
