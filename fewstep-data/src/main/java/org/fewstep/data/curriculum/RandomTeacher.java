package org.fewstep.data.curriculum;

import java.util.Objects;
import org.fewstep.core.Rng;

/**
 * The Random baseline of Portelas et al. (CoRL 2019; {@code teachDRL/teachers/algos/random_teacher.py}):
 * every task uniform in the box, feedback checked and ignored.
 */
public final class RandomTeacher implements Teacher {
  private final TaskBox box;

  public RandomTeacher(TaskBox box) {
    this.box = Objects.requireNonNull(box, "box");
  }

  @Override
  public TaskBox box() {
    return box;
  }

  @Override
  public double[] propose(Rng rng) {
    return box.uniform(rng);
  }

  @Override
  public void feedback(double[] task, double reward) {
    box.requireInside("task", task);
    Teacher.requireReward(reward);
  }
}
