package org.fewstep.data.curriculum;

import org.fewstep.core.Rng;

/**
 * A curriculum teacher over a continuous task space (Portelas et al., "Teacher algorithms for
 * curriculum learning of Deep RL in continuously parameterized environments", CoRL 2019, section 3):
 * before each episode it proposes task parameters in its {@link TaskBox}; after the episode it is told
 * the student's reward on that task, normalised to [0, 1]. The RL loop stays the caller's.
 *
 * <p>Every random choice of {@link #propose} draws from the generator passed in, so a run is
 * deterministic given the seeds. Not thread-safe.
 */
public interface Teacher {
  /** The task space. */
  TaskBox box();

  /** The next task, a new array inside {@link #box()}. */
  double[] propose(Rng rng);

  /**
   * The student's reward on {@code task} (inside the box), in [0, 1]; anything else, NaN included,
   * is a {@link org.fewstep.core.BadInputException}.
   */
  void feedback(double[] task, double reward);

  /** Requires a reward in [0, 1] (NaN is rejected). */
  static double requireReward(double reward) {
    if (!(reward >= 0 && reward <= 1)) {
      throw org.fewstep.core.BadInputException.of("reward", reward, "a normalised reward in [0, 1]");
    }
    return reward;
  }
}
