package org.fewstep.data.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.data.embed.Embedder;

/**
 * A model-free Add-One-In chooser (discrete-and-data.md section 8 d): it scores candidate b against the
 * shown selected window A by quality times marginal novelty,
 * {@code q_b * (1 - max_{a in A} cos(b, a))}, and answers {@code [[X]]} for the best (ties to the first).
 * The two factors are the paper's two criteria, response quality and marginal contribution to diversity;
 * the novelty term is the k-center distance of core-set selection (Sener and Savarese, ICLR 2018), which
 * rewards what the window lacks. A facility-location gain over the 20 shown items was the alternative; it
 * rewards candidates central to the window, which in a pool dominated by a few clusters favours those
 * clusters, so it is not used. Embeddings come from an {@link Embedder} and are cached by example id (one
 * chooser per pool; not thread-safe).
 */
public final class EmbeddingChooser implements Chooser {
  private final Embedder embedder;
  private final Map<String, double[]> cache = new HashMap<>();

  public EmbeddingChooser(Embedder embedder) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
  }

  @Override
  public String choose(List<Example> selected, List<Example> candidates) {
    if (candidates.isEmpty()) {
      throw BadInputException.of("candidates", 0, "at least one candidate");
    }
    embedMissing(selected, candidates);
    double best = Double.NEGATIVE_INFINITY;
    int pick = 0;
    for (int i = 0; i < candidates.size(); i++) {
      Example c = candidates.get(i);
      double nearest = Double.NEGATIVE_INFINITY;
      double[] v = cache.get(c.id());
      for (Example s : selected) {
        nearest = Math.max(nearest, dot(v, cache.get(s.id())));
      }
      double score = gain(c.quality(), selected.isEmpty() ? -1 : nearest);
      if (score > best) {
        best = score;
        pick = i;
      }
    }
    return CandidateLabel.answer(pick);
  }

  /** The score of a candidate of quality {@code quality} whose largest cosine to the window is {@code nearest}. */
  public static double gain(double quality, double nearest) {
    return quality * (1 - nearest);
  }

  private void embedMissing(List<Example> selected, List<Example> candidates) {
    List<Example> missing = new ArrayList<>();
    for (List<Example> list : List.of(selected, candidates)) {
      for (Example e : list) {
        if (!cache.containsKey(e.id())) {
          missing.add(e);
        }
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    double[][] vectors = embedder.embed(missing.stream().map(Example::text).toList());
    if (vectors.length != missing.size()) {
      throw BadInputException.of("embeddings from " + embedder.name(), vectors.length, missing.size() + " (one per text)");
    }
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != embedder.dimension()) {
        throw BadInputException.of("embedding length from " + embedder.name(), vectors[i].length,
            embedder.dimension() + " (the embedder's dimension)");
      }
      cache.put(missing.get(i).id(), vectors[i]);
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
