package org.fewstep.scaling.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Cost;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * The deterministic PRM-guided searches that particle filtering is compared with (decoding.md 11;
 * the beam search and diverse verifier tree search, DVTS, of Hugging Face's search-and-learn recipe,
 * Beeching, Tunstall and Rush, 2024): both expand partial solutions one step at a time and keep the
 * ones the PRM scores highest, with no resampling. Budget N = beams x width expansions per step.
 */
public final class BeamSearch {
  private BeamSearch() {}

  private record Scored(Trace trace, double reward) {}

  /**
   * Step-level beam search: N partial solutions each take one step; the unfinished ones are ranked
   * by the PRM, the best {@code N / width} are kept and each is continued {@code width} times; a
   * finished solution leaves the beam for the completed set. The answer is the completed solution
   * of the highest reward.
   */
  public static Solution beam(Task task, Prm prm, int n, int width, double temperature, Rng rng) {
    check(n, width);
    int keep = n / width;
    List<Trace> frontier = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      frontier.add(task.start());
    }
    List<Scored> completed = new ArrayList<>();
    long steps = 0;
    long tokens = 0;
    long calls = 0;
    while (!frontier.isEmpty()) {
      List<Scored> open = new ArrayList<>();
      for (Trace t : frontier) {
        Trace next = task.step(t, temperature, rng);
        steps++;
        tokens += next.tokens() - t.tokens();
        Scored s = new Scored(next, prm.score(next));
        calls++;
        (next.finished() ? completed : open).add(s);
      }
      open.sort(Comparator.comparingDouble(Scored::reward).reversed());
      frontier = new ArrayList<>();
      for (int k = 0; k < Math.min(keep, open.size()); k++) {
        for (int c = 0; c < width; c++) {
          frontier.add(open.get(k).trace());
        }
      }
    }
    return new Solution(best(completed).trace(), new Cost(n, steps, tokens, calls));
  }

  /**
   * Diverse verifier tree search: {@code N / width} independent subtrees, each a greedy search that
   * continues its one partial solution {@code width} times per step and keeps the expansion of the
   * highest reward until it finishes. The answer is the best subtree's solution.
   */
  public static Solution dvts(Task task, Prm prm, int n, int width, double temperature, Rng rng) {
    check(n, width);
    List<Scored> finals = new ArrayList<>();
    long steps = 0;
    long tokens = 0;
    long calls = 0;
    for (int tree = 0; tree < n / width; tree++) {
      Trace current = task.start();
      Scored chosen = null;
      while (!current.finished()) {
        Scored best = null;
        for (int c = 0; c < width; c++) {
          Trace next = task.step(current, temperature, rng);
          steps++;
          tokens += next.tokens() - current.tokens();
          Scored s = new Scored(next, prm.score(next));
          calls++;
          if (best == null || s.reward() > best.reward()) {
            best = s;
          }
        }
        chosen = best;
        current = best.trace();
      }
      finals.add(chosen);
    }
    return new Solution(best(finals).trace(), new Cost(n, steps, tokens, calls));
  }

  private static void check(int n, int width) {
    BadInputException.requireAtLeast("beam search: width", width, 1);
    if (n < width || n % width != 0) {
      throw BadInputException.of("beam search: budget N", n, "a multiple of the width " + width);
    }
  }

  private static Scored best(List<Scored> list) {
    Scored best = list.get(0);
    for (Scored s : list) {
      if (s.reward() > best.reward()) {
        best = s;
      }
    }
    return best;
  }
}
