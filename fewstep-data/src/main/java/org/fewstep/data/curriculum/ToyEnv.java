package org.fewstep.data.curriculum;

import org.fewstep.core.BadInputException;

/**
 * The toy curriculum benchmark of Portelas et al. (CoRL 2019, section 5.1; {@code teachDRL/toy_env/toy_env.py}):
 * the unit hypercube [0, 1]^d cut into {@code cellsPerSide}^d cells (10 per side, d = 2 in the paper's
 * run), each with a competence 0..100 that only training in that cell raises.
 *
 * <p>An episode on task p: the cell of p (cell edges {@code i * (1/cellsPerSide)}, computed as numpy's
 * {@code arange}; a coordinate on an inner edge belongs to the upper cell and 1.0 to the last cell) gains 1
 * competence (capped at 100) if it is the origin cell (all indices 0) or if one of its "previous"
 * neighbours, the cells whose every index is its own or one less (diagonals included), has competence
 * {@code >= 75}. The reward is the cell's competence after the episode times 0.01 (bit-equal to the
 * reference's {@code np.interp}). The score is the
 * percentage of cells whose competence is {@code > 75} ("mastered").
 *
 * <p>Coordinates of p beyond the first d are ignored, which gives the unlearnable-subspace variant (a
 * teacher over d + m parameters of which m do not matter). The reference's {@code noise} option is
 * commented out there and not offered here; its {@code reset()} reads globals that exist only under
 * {@code __main__} — here {@link #reset()} is a plain reset. Coordinates outside [0, 1] stop the
 * reference ({@code exit(1)}) and are a {@link BadInputException} here.
 */
public final class ToyEnv {
  /** Competence at which a cell unlocks its successors (3/4 of the maximum). */
  public static final int UNLOCK = 75;
  /** The competence cap. */
  public static final int MAX_COMPETENCE = 100;

  private final int cellsPerSide;
  private final int dimensions;
  private final double step;
  private final int[] competence;

  /** The environment with {@code cellsPerSide >= 1} cells on each of {@code dimensions >= 1} axes. */
  public ToyEnv(int cellsPerSide, int dimensions) {
    this.cellsPerSide = BadInputException.requireAtLeast("cells-per-side", cellsPerSide, 1);
    this.dimensions = BadInputException.requireAtLeast("dimensions", dimensions, 1);
    double cells = Math.pow(cellsPerSide, dimensions);
    if (cells > 50_000_000) {
      throw BadInputException.of("cells-per-side^dimensions", cells, "at most 5e7 cells");
    }
    this.step = 1.0 / cellsPerSide;
    this.competence = new int[(int) cells];
  }

  /** The reference's run: 10 cells per side in 2 dimensions. */
  public static ToyEnv paper() {
    return new ToyEnv(10, 2);
  }

  /** Cells per axis. */
  public int cellsPerSide() {
    return cellsPerSide;
  }

  /** The number of learnable task dimensions d. */
  public int dimensions() {
    return dimensions;
  }

  /** All competences back to 0. */
  public void reset() {
    java.util.Arrays.fill(competence, 0);
  }

  /**
   * Plays one episode on {@code task} (at least d coordinates, all in [0, 1]; only the first d count)
   * and returns the normalised reward, the cell's competence / 100 after the episode.
   */
  public double episode(double[] task) {
    if (task == null || task.length < dimensions) {
      throw BadInputException.of("task length", task == null ? "null" : task.length, "at least " + dimensions);
    }
    for (int i = 0; i < task.length; i++) {
      if (!(task[i] >= 0 && task[i] <= 1)) {
        throw BadInputException.of("task[" + i + "]", task[i], "a number in [0, 1]");
      }
    }
    int[] cell = new int[dimensions];
    for (int i = 0; i < dimensions; i++) {
      cell[i] = cellIndex(task[i]);
    }
    int index = flat(cell);
    if (isOrigin(cell) || hasUnlockedPredecessor(cell)) {
      competence[index] = Math.min(competence[index] + 1, MAX_COMPETENCE);
    }
    return competence[index] * (1.0 / MAX_COMPETENCE); // as numpy's interp: slope 0.01 times competence
  }

  /** The cell index of coordinate v in [0, 1] along one axis. */
  int cellIndex(double v) {
    int c = cellsPerSide - 1;
    while (c > 0 && v < c * step) { // edges are c * step, as numpy's arange(0, 1 + step, step)
      c--;
    }
    return c;
  }

  private static boolean isOrigin(int[] cell) {
    for (int c : cell) {
      if (c != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether a cell whose indices are each its own or one less (not the cell itself) has competence >= 75. */
  private boolean hasUnlockedPredecessor(int[] cell) {
    int combos = 1 << dimensions;
    int[] neighbour = new int[dimensions];
    for (int mask = 1; mask < combos; mask++) {
      for (int i = 0; i < dimensions; i++) {
        neighbour[i] = (mask >> i & 1) == 1 ? Math.max(0, cell[i] - 1) : cell[i];
      }
      int n = flat(neighbour);
      if (n != flat(cell) && competence[n] >= UNLOCK) {
        return true;
      }
    }
    return false;
  }

  private int flat(int[] cell) {
    int index = 0;
    for (int c : cell) {
      index = index * cellsPerSide + c;
    }
    return index;
  }

  /** The competence (0..100) of the cell with indices {@code cell} (d indices in [0, cellsPerSide)). */
  public int competence(int... cell) {
    if (cell.length != dimensions) {
      throw BadInputException.of("cell length", cell.length, dimensions + " indices");
    }
    for (int i = 0; i < dimensions; i++) {
      if (cell[i] < 0 || cell[i] >= cellsPerSide) {
        throw BadInputException.of("cell[" + i + "]", cell[i], "an index in [0, " + cellsPerSide + ")");
      }
    }
    return competence[flat(cell)];
  }

  /** The score: the percentage of cells with competence > 75. */
  public double masteredPercent() {
    int mastered = 0;
    for (int c : competence) {
      mastered += c > UNLOCK ? 1 : 0;
    }
    return (mastered / (double) competence.length) * 100; // the reference's order of operations
  }
}
