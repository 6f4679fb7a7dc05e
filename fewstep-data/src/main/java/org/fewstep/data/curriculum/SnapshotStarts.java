package org.fewstep.data.curriculum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.KMeans;

/**
 * SnapshotRL and S3RL start states (Zhao, Qian, Wang, Shan, Qin, "Snapshot Reinforcement Learning: Leveraging
 * Prior Trajectories for Efficiency", arXiv 2403.00673; reference code sdpkjc/snapshotrl,
 * {@code src/snapshot_td3_mujoco.py}, {@code SnapshotEnv} and the teacher collection loop;
 * discrete-and-data.md section 12): a wrapper around a {@link RestorableEnvironment} whose episodes, during
 * the first {@code snapshotTimesteps} environment steps, start from whole-environment snapshots saved along a
 * teacher's rollouts, and afterwards from the original initial states.
 *
 * <ol>
 *   <li>Teacher collection ({@link #collect}): {@code teacherEpisodes} (10) deterministic teacher episodes;
 *       the initial state and every {@code saveFrequency}-th (10) state of each episode is saved with the
 *       teacher's {@code Q(s, pi(s))}; the {@code bestEpisodes} (10) episodes of highest return are kept
 *       (ties: earlier episode first). Clean-up of the reference: here every episode saves its own initial
 *       state and then its steps 10, 20, ... by its own step count; the reference saves an initial state only
 *       before the first episode and counts the save period over all episodes, so later episodes save at
 *       shifted steps and their initial state only by chance (when an auto-reset falls on a multiple of 10).
 *       A terminal state is never saved (an episode that ends stops there).
 *   <li>Status classification (SC, {@link #classify}): k-means with {@code k = min(clusters, #snapshots)}
 *       ({@code clusters} = 6) on the 1-D values, k-means++ with one run seeded by {@code clusterSeed} (0), as
 *       scikit-learn's {@code n_init="auto"} with {@code random_state=0}, through {@link KMeans}; empty clusters
 *       are dropped.
 *   <li>Reset while fewer than {@code snapshotTimesteps} steps were taken: with SC a cluster uniformly, then a
 *       snapshot uniformly in it; without SC a snapshot uniformly. The snapshot is restored; with student
 *       trajectory truncation (STT) the time limit becomes {@code elapsed + truncateStep} (100 in the paper).
 *       Without STT the snapshot keeps the environment's own time limit; the reference instead sets
 *       {@code elapsed + 1000}, longer than an original episode.
 *   <li>At {@code snapshotTimesteps} the original environment takes over: the episode running then is
 *       truncated at that step (the reference swaps the environment at that step) and every later reset is an
 *       original reset. The caller keeps its replay data ({@code drop_snap_replay = False}).
 * </ol>
 *
 * Ablations ({@link Variant}): SnapshotRL = uniform snapshots, no truncation; SC only; STT only; S3RL = both.
 * Not thread-safe.
 *
 * @param <S> the environment's snapshot type
 */
public final class SnapshotStarts<S> {

  /** The paper's ablations. */
  public enum Variant {
    SNAPSHOT_RL(false, false), SC(true, false), STT(false, true), S3RL(true, true);

    private final boolean statusClassification;
    private final boolean truncation;

    Variant(boolean statusClassification, boolean truncation) {
      this.statusClassification = statusClassification;
      this.truncation = truncation;
    }

    /** Whether snapshots are drawn cluster-then-member. */
    public boolean statusClassification() {
      return statusClassification;
    }

    /** Whether episodes from a snapshot are truncated after {@code truncateStep} steps. */
    public boolean truncation() {
      return truncation;
    }
  }

  /**
   * The reference's knobs: {@code teacher_env_num_ep}, {@code teacher_best_env_num_ep},
   * {@code teacher_env_save_frequency}, {@code n_clusters}, whether SC is on, {@code truncate_step} (0 = no
   * truncation), {@code snapshot_timesteps} and the k-means seed.
   */
  public record Settings(int teacherEpisodes, int bestEpisodes, int saveFrequency, int clusters,
      boolean statusClassification, int truncateStep, long snapshotTimesteps, long clusterSeed) {
    /** The paper's truncation length (MuJoCo episodes of 1000 steps). */
    public static final int DEFAULT_TRUNCATE_STEP = 100;
    /** The paper's snapshot phase, 100 000 environment steps. */
    public static final long DEFAULT_SNAPSHOT_TIMESTEPS = 100_000;

    public Settings {
      BadInputException.requireAtLeast("teacher episodes", teacherEpisodes, 1);
      BadInputException.requireAtLeast("best episodes", bestEpisodes, 1);
      if (bestEpisodes > teacherEpisodes) {
        throw BadInputException.of("best episodes", bestEpisodes, "at most the " + teacherEpisodes + " teacher episodes");
      }
      BadInputException.requireAtLeast("save frequency", saveFrequency, 1);
      BadInputException.requireAtLeast("clusters", clusters, 1);
      BadInputException.requireAtLeast("truncate step", truncateStep, 0);
      if (snapshotTimesteps < 0) {
        throw BadInputException.of("snapshot timesteps", snapshotTimesteps, "a step count >= 0");
      }
    }

    /** The paper's defaults for a variant: 10/10 episodes, every 10 steps, 6 clusters, truncate 100, 100 000 steps. */
    public static Settings of(Variant variant) {
      return of(variant, DEFAULT_TRUNCATE_STEP, DEFAULT_SNAPSHOT_TIMESTEPS);
    }

    /** A variant with the paper's collection and clustering defaults and the given step counts. */
    public static Settings of(Variant variant, int truncateStep, long snapshotTimesteps) {
      return new Settings(10, 10, 10, 6, variant.statusClassification(), variant.truncation() ? truncateStep : 0,
          snapshotTimesteps, 0);
    }
  }

  /** A saved state of teacher episode {@code episode} after {@code step} steps, with the teacher's value there. */
  public record Saved<S>(S snapshot, double value, int episode, int step) {}

  /** One teacher episode: its actions, the observations before and after each, its rewards and saved states. */
  public record TeacherEpisode<S>(int[] actions, int[] observations, double[] rewards, double ret, List<Saved<S>> saved) {}

  private final RestorableEnvironment<S> env;
  private final Settings settings;
  private final List<TeacherEpisode<S>> episodes;
  private final List<Saved<S>> snapshots;
  private final int[][] clusters;
  private long steps;
  private boolean fromSnapshot;
  private int lastSnapshot = -1;
  private int episodeSteps;

  private SnapshotStarts(RestorableEnvironment<S> env, Settings settings, List<TeacherEpisode<S>> episodes) {
    this.env = env;
    this.settings = settings;
    this.episodes = episodes;
    List<Saved<S>> all = new ArrayList<>();
    for (TeacherEpisode<S> e : episodes) {
      all.addAll(e.saved());
    }
    this.snapshots = List.copyOf(all);
    double[] values = new double[all.size()];
    Arrays.setAll(values, i -> all.get(i).value());
    if (settings.statusClassification()) {
      clusters = classify(values, Math.min(settings.clusters(), values.length), 1, new Rng(settings.clusterSeed()));
    } else {
      int[] everyone = new int[values.length];
      Arrays.setAll(everyone, i -> i);
      clusters = new int[][] {everyone};
    }
  }

  /**
   * Collects the teacher's snapshots on {@code env} (drawing initial states with {@code rng}), keeps the best
   * episodes and classifies them; the returned wrapper then serves the student's episodes on {@code env}.
   */
  public static <S> SnapshotStarts<S> create(RestorableEnvironment<S> env, TeacherPolicy teacher, Settings settings,
      Rng rng) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(teacher, "teacher");
    Objects.requireNonNull(settings, "settings");
    return new SnapshotStarts<>(env, settings, collect(env, teacher, settings, rng));
  }

  /** Teacher collection: the {@code bestEpisodes} of {@code teacherEpisodes} rollouts, highest return first. */
  public static <S> List<TeacherEpisode<S>> collect(RestorableEnvironment<S> env, TeacherPolicy teacher,
      Settings settings, Rng rng) {
    List<TeacherEpisode<S>> all = new ArrayList<>();
    for (int e = 0; e < settings.teacherEpisodes(); e++) {
      int obs = env.reset(rng);
      List<Saved<S>> saved = new ArrayList<>();
      saved.add(new Saved<>(env.snapshot(), value(teacher, obs), e, 0));
      List<Integer> actions = new ArrayList<>();
      List<Integer> observations = new ArrayList<>(List.of(obs));
      List<Double> rewards = new ArrayList<>();
      double ret = 0;
      for (int t = 1; ; t++) {
        int a = teacher.action(obs);
        if (a < 0 || a >= env.actionCount()) {
          throw BadInputException.of("teacher action", a, "in [0, " + env.actionCount() + ")");
        }
        RestorableEnvironment.Step step = env.step(a);
        actions.add(a);
        observations.add(step.observation());
        rewards.add(step.reward());
        ret += step.reward();
        obs = step.observation();
        if (step.done()) {
          break;
        }
        if (t % settings.saveFrequency() == 0) {
          saved.add(new Saved<>(env.snapshot(), value(teacher, obs), e, t));
        }
      }
      all.add(new TeacherEpisode<>(actions.stream().mapToInt(Integer::intValue).toArray(),
          observations.stream().mapToInt(Integer::intValue).toArray(),
          rewards.stream().mapToDouble(Double::doubleValue).toArray(), ret, List.copyOf(saved)));
    }
    List<TeacherEpisode<S>> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingDouble((TeacherEpisode<S> t) -> -t.ret())); // stable: ties keep their order
    return List.copyOf(sorted.subList(0, settings.bestEpisodes()));
  }

  private static double value(TeacherPolicy teacher, int obs) {
    return BadInputException.requireFinite("teacher value at observation " + obs, teacher.value(obs));
  }

  /**
   * Status classification: 1-D k-means of {@code values} into at most k groups (best of {@code restarts}
   * k-means++ runs), empty groups dropped; each row lists the indices of one group, ascending.
   */
  public static int[][] classify(double[] values, int k, int restarts, Rng rng) {
    BadInputException.requireAtLeast("values", values.length, 1);
    double[][] points = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      points[i] = new double[] {values[i]};
    }
    KMeans.Result result = KMeans.fit(points, k, restarts, 300, 1e-4, rng);
    int[] sizes = result.sizes();
    List<int[]> groups = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (sizes[c] == 0) {
        continue;
      }
      int[] members = new int[sizes[c]];
      int at = 0;
      for (int i = 0; i < values.length; i++) {
        if (result.labels()[i] == c) {
          members[at++] = i;
        }
      }
      groups.add(members);
    }
    return groups.toArray(new int[0][]);
  }

  /**
   * Starts the student's next episode: from a snapshot (cluster uniformly, then member uniformly) while in the
   * snapshot phase, else an original reset.
   */
  public int reset(Rng rng) {
    episodeSteps = 0;
    if (!snapshotPhase()) {
      fromSnapshot = false;
      lastSnapshot = -1;
      return env.reset(rng);
    }
    int[] cluster = clusters[rng.nextInt(clusters.length)];
    lastSnapshot = cluster[rng.nextInt(cluster.length)];
    fromSnapshot = true;
    env.restore(snapshots.get(lastSnapshot).snapshot());
    if (settings.truncateStep() > 0) {
      env.setTimeLimit(env.elapsedSteps() + settings.truncateStep());
    }
    return env.observation();
  }

  /** One environment step; the episode is truncated at the switch to the original environment. */
  public RestorableEnvironment.Step step(int action) {
    RestorableEnvironment.Step step = env.step(action);
    steps++;
    episodeSteps++;
    if (fromSnapshot && steps == settings.snapshotTimesteps() && !step.done()) {
      return new RestorableEnvironment.Step(step.observation(), step.reward(), false, true);
    }
    return step;
  }

  /** Whether the next reset starts from a snapshot ({@code steps < snapshotTimesteps}). */
  public boolean snapshotPhase() {
    return steps < settings.snapshotTimesteps();
  }

  /** Environment steps taken through this wrapper. */
  public long steps() {
    return steps;
  }

  /** Steps of the current episode taken through this wrapper. */
  public int episodeSteps() {
    return episodeSteps;
  }

  /** The index (into {@link #snapshots()}) of the snapshot the current episode started from, or -1. */
  public int lastSnapshot() {
    return lastSnapshot;
  }

  /** The kept snapshots, best episode first, each episode in step order. */
  public List<Saved<S>> snapshots() {
    return snapshots;
  }

  /** The kept teacher episodes, highest return first. */
  public List<TeacherEpisode<S>> teacherEpisodes() {
    return episodes;
  }

  /** The status classes (indices into {@link #snapshots()}); one class holding all when SC is off. */
  public int[][] clusters() {
    int[][] out = new int[clusters.length][];
    for (int c = 0; c < clusters.length; c++) {
      out[c] = clusters[c].clone();
    }
    return out;
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** The wrapped environment. */
  public RestorableEnvironment<S> environment() {
    return env;
  }
}
