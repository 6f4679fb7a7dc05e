package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.curriculum.AlpGmm;
import org.fewstep.data.curriculum.RandomTeacher;
import org.fewstep.data.curriculum.TaskBox;
import org.fewstep.data.curriculum.Teacher;
import org.fewstep.data.curriculum.ToyEnv;

/**
 * Random vs ALP-GMM curricula on the ToyEnv of Portelas et al. (CoRL 2019, section 5.1; the
 * {@code __main__} of {@code teachDRL/toy_env/toy_env.py}): 20 000 episodes on the 10 x 10 grid in
 * [0, 1]^2, the percentage of mastered cells every 1 000 episodes, seeds 1..5. The paper's claim: ALP-GMM
 * masters far more cells than random task sampling.
 *
 * <p>Seeding: for seed s the teacher's proposals draw from {@code Rng.stream(s, 0)} and ALP-GMM's k-means
 * initialisations from its {@code seed = s}.
 *
 * <p>Measured (full run): Random 4, 4, 4, 4, 5 % and ALP-GMM 31, 34, 35, 41, 38 % (mean 35.8) after 20 000
 * episodes at seeds 1..5. The reference Python ALP-GMM (alp_gmm.py with scikit-learn 1.9.1, float32 tasks,
 * its own seeds 1..5) on the same ToyEnv gave 36, 38, 35, 35, 31 % (mean 35.0), and 15 % at 10 000 episodes
 * (here 14.4 on average).
 */
public final class AlpGmmExperiment {
  private AlpGmmExperiment() {}

  /** The teachers compared. */
  public enum TeacherKind {
    RANDOM("random", "Random"),
    ALP_GMM("alp-gmm", "ALP-GMM");

    private final String id;
    private final String label;

    TeacherKind(String id, String label) {
      this.id = id;
      this.label = label;
    }

    /** The CLI name ({@code random}, {@code alp-gmm}). */
    public String id() {
      return id;
    }

    /** The display name. */
    public String label() {
      return label;
    }

    /** The kind named {@code id} ({@code random} or {@code alp-gmm}). */
    public static TeacherKind parse(String id) {
      for (TeacherKind kind : values()) {
        if (kind.id.equals(id)) {
          return kind;
        }
      }
      throw BadInputException.of("teacher", id, "random or alp-gmm");
    }

    Teacher create(TaskBox box, long seed) {
      return switch (this) {
        case RANDOM -> new RandomTeacher(box);
        case ALP_GMM -> AlpGmm.withDefaults(box, seed);
      };
    }
  }

  /**
   * Episodes per run, the ToyEnv grid ({@code cellsPerSide}, {@code dimensions}), the score interval
   * {@code scoreStep}, the seeds and the teachers.
   */
  public record Settings(int episodes, int cellsPerSide, int dimensions, int scoreStep, long[] seeds, List<TeacherKind> teachers) {
    public Settings {
      BadInputException.requireAtLeast("episodes", episodes, 1);
      BadInputException.requireAtLeast("cells-per-side", cellsPerSide, 1);
      BadInputException.requireAtLeast("dimensions", dimensions, 1);
      BadInputException.requireAtLeast("score-step", scoreStep, 1);
      if (seeds == null || seeds.length == 0) {
        throw BadInputException.of("seeds", "none", "at least one seed");
      }
      if (teachers == null || teachers.isEmpty()) {
        throw BadInputException.of("teachers", "none", "at least one teacher");
      }
      seeds = seeds.clone();
      teachers = List.copyOf(teachers);
    }

    /** The full run: 20 000 episodes, 10 x 10 cells, score every 1 000 episodes, seeds 1..5, Random and ALP-GMM. */
    public static Settings defaults() {
      return new Settings(20_000, 10, 2, 1_000, new long[] {1, 2, 3, 4, 5}, List.of(TeacherKind.RANDOM, TeacherKind.ALP_GMM));
    }

    /** One teacher on one seed for {@code episodes} episodes on the 10 x 10 grid (the CLI's {@code curriculum}). */
    public static Settings single(TeacherKind teacher, int episodes, long seed) {
      return new Settings(episodes, 10, 2, Math.max(1, Math.min(1_000, episodes)), new long[] {seed}, List.of(teacher));
    }

    @Override
    public long[] seeds() {
      return seeds.clone();
    }
  }

  /**
   * One run: the mastered percentage after {@code checkpoints[i]} episodes (0, scoreStep, ..., and the
   * last episode), and the wall-clock seconds of the run.
   */
  public record Run(TeacherKind teacher, long seed, int[] checkpoints, double[] mastered, double seconds) {
    /** The mastered percentage at the end. */
    public double finalMastered() {
      return mastered[mastered.length - 1];
    }
  }

  /** All runs, in the order teachers x seeds. */
  public record Result(Settings settings, List<Run> runs) {
    /** The mean final mastered percentage of {@code teacher} over the seeds. */
    public double meanFinal(TeacherKind teacher) {
      return runs.stream().filter(r -> r.teacher() == teacher).mapToDouble(Run::finalMastered).average().orElse(Double.NaN);
    }

    /** The runs of one teacher. */
    public List<Run> of(TeacherKind teacher) {
      return runs.stream().filter(r -> r.teacher() == teacher).toList();
    }

    /** Mean (sd) mastered % per checkpoint and teacher, then final % and seconds per run. */
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append("ToyEnv ").append(settings.cellsPerSide()).append("^").append(settings.dimensions())
          .append(" cells, ").append(settings.episodes()).append(" episodes, seeds ")
          .append(Arrays.toString(settings.seeds())).append(": % mastered cells (mean (sd) over seeds)\n\n");
      sb.append("| episodes |");
      for (TeacherKind t : settings.teachers()) {
        sb.append(' ').append(t.label()).append(" |");
      }
      sb.append("\n|---:|");
      sb.append("---:|".repeat(settings.teachers().size()));
      sb.append('\n');
      int[] checkpoints = runs.get(0).checkpoints();
      for (int c = 0; c < checkpoints.length; c++) {
        sb.append("| ").append(checkpoints[c]).append(" |");
        for (TeacherKind t : settings.teachers()) {
          final int at = c;
          double[] values = of(t).stream().mapToDouble(r -> r.mastered()[at]).toArray();
          sb.append(' ').append(meanSd(values)).append(" |");
        }
        sb.append('\n');
      }
      sb.append("\n| teacher | seed | final % mastered | seconds |\n|---|---:|---:|---:|\n");
      for (Run r : runs) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f |\n", r.teacher().label(), r.seed(), r.finalMastered(), r.seconds()));
      }
      return sb.toString();
    }

    /** {@code teacher,seed,episode,mastered_percent,seconds}, one line per run and checkpoint. */
    public String csv() {
      StringBuilder sb = new StringBuilder("teacher,seed,episode,mastered_percent,seconds\n");
      for (Run r : runs) {
        for (int c = 0; c < r.checkpoints().length; c++) {
          sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.3f\n", r.teacher().id(), r.seed(), r.checkpoints()[c], r.mastered()[c], r.seconds()));
        }
      }
      return sb.toString();
    }
  }

  /** Runs every teacher on every seed. */
  public static Result run(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    List<Run> runs = new ArrayList<>();
    for (TeacherKind teacher : settings.teachers()) {
      for (long seed : settings.seeds()) {
        runs.add(runOne(teacher, seed, settings));
      }
    }
    return new Result(settings, List.copyOf(runs));
  }

  /** One teacher on one seed. */
  public static Run runOne(TeacherKind teacher, long seed, Settings settings) {
    long start = System.nanoTime();
    ToyEnv env = new ToyEnv(settings.cellsPerSide(), settings.dimensions());
    Teacher t = teacher.create(TaskBox.unit(settings.dimensions()), seed);
    Rng rng = Rng.stream(seed, 0);
    int points = settings.episodes() / settings.scoreStep() + 1 + (settings.episodes() % settings.scoreStep() == 0 ? 0 : 1);
    int[] checkpoints = new int[points];
    double[] mastered = new double[points];
    int next = 1;
    mastered[0] = env.masteredPercent();
    for (int episode = 1; episode <= settings.episodes(); episode++) {
      double[] task = t.propose(rng);
      double reward = env.episode(task);
      t.feedback(task, reward);
      if (episode % settings.scoreStep() == 0 || episode == settings.episodes()) {
        checkpoints[next] = episode;
        mastered[next++] = env.masteredPercent();
      }
    }
    return new Run(teacher, seed, checkpoints, mastered, (System.nanoTime() - start) / 1e9);
  }

  private static String meanSd(double[] values) {
    return String.format(Locale.ROOT, "%.1f (%.1f)", org.fewstep.core.math.Vectors.mean(values),
        org.fewstep.core.math.Vectors.sampleSd(values));
  }
}
