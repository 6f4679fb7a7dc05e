package org.fewstep.data.meta;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.Rng;

/**
 * Performance tables from a known rule (section 15(f)): situations with two informative features,
 * the neighbour ratio u and the guidance g/4, both uniform in [0, 1]; four candidates with centres
 * (0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8); the log10 error of candidate c is
 * {@code -3 + 2 |x - centre_c|^2 + N(0, noise^2)}, so the best candidate is the nearest centre.
 * Budget 10 has all four candidates (NFE 10); budget 5 only the first two (NFE 5), the others
 * cost 10.
 */
final class SyntheticTables {
  static final List<String> CANDIDATES = List.of("c0", "c1", "c2", "c3");
  static final double[][] CENTRES = {{0.2, 0.2}, {0.8, 0.2}, {0.2, 0.8}, {0.8, 0.8}};

  private SyntheticTables() {}

  static SituationFeatures features(double u, double v) {
    return new SituationFeatures(8, 1.0, u, 0, 4 * v);
  }

  static double truth(int c, double u, double v) {
    double du = u - CENTRES[c][0];
    double dv = v - CENTRES[c][1];
    return -3 + 2 * (du * du + dv * dv);
  }

  static PerformanceTable table(int situations, double noise, long seed) {
    Rng rng = new Rng(seed);
    List<PerformanceTable.Row> rows = new ArrayList<>();
    for (int i = 0; i < situations; i++) {
      double u = rng.nextDouble();
      double v = rng.nextDouble();
      SituationFeatures f = features(u, v);
      for (int budget : new int[] {5, 10}) {
        for (int c = 0; c < CANDIDATES.size(); c++) {
          if (budget == 5 && c >= 2) {
            continue;
          }
          double log = truth(c, u, v) + noise * rng.nextGaussian();
          rows.add(new PerformanceTable.Row("s" + i, "s" + i, f, CANDIDATES.get(c), budget, budget, budget, Math.pow(10, log), 0));
        }
      }
    }
    return new PerformanceTable(rows);
  }
}
