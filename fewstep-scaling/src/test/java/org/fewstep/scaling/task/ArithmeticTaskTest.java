package org.fewstep.scaling.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Trace;
import org.junit.jupiter.api.Test;

/** The arithmetic reasoner: its exact success probabilities against enumeration and simulation. */
class ArithmeticTaskTest {
  /** P(errors of {@code lines} lines sum to {@code target}) by enumerating all 101^lines sequences. */
  private static double enumerate(int lines, int target, double e) {
    double total = 0;
    for (int code = 0; code < (int) Math.pow(101, lines); code++) {
      int c = code;
      int sum = 0;
      double p = 1;
      for (int i = 0; i < lines; i++) {
        int slip = c % 101 - 50;
        c /= 101;
        sum += slip;
        p *= slip == 0 ? 1 - e : e / 100;
      }
      if (sum == target) {
        total += p;
      }
    }
    return total;
  }

  /** The last integer of a line: the line's result in every wording. */
  static int lastNumber(String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+").matcher(line);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group());
    }
    return last;
  }

  @Test
  void successProbabilitiesAreThoseOfTheErrorsCancelling() {
    ArithmeticTask task = new ArithmeticTask(new int[] {12, 7, 30, 4}, 0.3);
    assertThat(task.successProbability(task.start())).isCloseTo(enumerate(3, 0, 0.3), within(1e-12));
    // after one wrong line (+1 or -2 ...), the rest must cancel it
    Rng rng = new Rng(3);
    for (int trial = 0; trial < 50; trial++) {
      Trace t = task.step(task.start(), 1, rng);
      int offset = lastNumber(t.steps().get(0)) - 19;
      assertThat(task.successProbability(t)).isCloseTo(enumerate(2, -offset, 0.3), within(1e-12));
    }
  }

  @Test
  void theExactPrmIsTheSimulatedSuccessRate() {
    ArithmeticTask task = new ArithmeticTask(new int[] {5, 8, 13, 21}, 0.4);
    int n = 20_000;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      Trace t = task.sample(1, Rng.stream(11, i));
      assertThat(t.length()).isEqualTo(3);
      assertThat(task.successProbability(t)).isEqualTo(task.correct(t) ? 1.0 : 0.0);
      correct += task.correct(t) ? 1 : 0;
    }
    double p = task.successProbability(task.start());
    double se = Math.sqrt(p * (1 - p) / n);
    assertThat(correct / (double) n).isCloseTo(p, within(4 * se));
  }

  @Test
  void textLogProbabilityAndTemperature() {
    ArithmeticTask task = new ArithmeticTask(new int[] {1, 2}, 0.2);
    double[] wordings = {0.4, 0.3, 0.2, 0.1};
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < 4000; i++) {
      Trace t = task.sample(1, Rng.stream(1, i));
      String text = t.text();
      int wording = text.matches("1\\+2=-?\\d+\\n") ? 0 : text.matches("1 \\+ 2 = -?\\d+\\n") ? 1
          : text.matches("1 plus 2 makes -?\\d+\\n") ? 2 : text.matches("adding 2 to 1 gives -?\\d+\\n") ? 3 : -1;
      assertThat(wording).as(text).isNotNegative();
      assertThat(t.tokens()).isEqualTo(text.length());
      assertThat(t.answer()).isEqualTo(Integer.toString(lastNumber(text)));
      double slip = t.answer().equals("3") ? 0.8 : 0.2 / 100;
      assertThat(t.logProbability()).isCloseTo(Math.log(slip * wordings[wording]), within(1e-12));
      seen.merge(text.replaceAll("-?\\d+", "#"), 1, Integer::sum);
    }
    // the wordings come with their probabilities (4000 lines: within 4 standard errors)
    assertThat(seen.get("#+#=#\n") / 4000.0).isCloseTo(0.4, within(0.031));
    assertThat(seen.get("adding # to # gives #\n") / 4000.0).isCloseTo(0.1, within(0.019));
    // tempering sharpens the law toward no error: at temperature 0.5 the probabilities are squared and renormalised
    double[] q = task.tempered(0.5);
    double slip = 0.2 / 100;
    double z = 0.8 * 0.8 + 100 * slip * slip;
    assertThat(q[50]).isCloseTo(0.64 / z, within(1e-12));
    assertThat(q[0]).isCloseTo(slip * slip / z, within(1e-12));
  }

  @Test
  void problemSetsAreSeededAndSpread() {
    var a = ArithmeticTask.problems(200, 5);
    var b = ArithmeticTask.problems(200, 5);
    assertThat(a.get(17).name()).isEqualTo(b.get(17).name());
    double min = 1;
    double max = 0;
    for (var t : a) {
      double p = t.successProbability(t.start());
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    assertThat(min).isLessThan(0.01);
    assertThat(max).isGreaterThan(0.8);
  }

  @Test
  void noisyPrmIsFixedPerPrefixAndCentredOnTheExactOne() {
    ArithmeticTask task = new ArithmeticTask(new int[] {5, 8, 13, 21}, 0.4);
    Prm noisy = Prm.noisy(task, 0.5, 9);
    Trace t = task.step(task.start(), 1, new Rng(2));
    assertThat(noisy.score(t)).isEqualTo(noisy.score(t));
    assertThat(Prm.noisy(task, 0, 9).score(t)).isCloseTo(task.successProbability(t), within(1e-12));
    assertThatThrownBy(() -> Prm.noisy(task, -1, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("sigma");
    // a floor of 0.05 caps a finished solution's exact verdict at logit +-2.94; without noise that is the score
    Trace done = task.sample(1, new Rng(4));
    double verdict = Prm.noisy(task, 0, 0.05, 9).score(done);
    assertThat(verdict).isCloseTo(task.correct(done) ? 0.95 : 0.05, within(1e-12));
    assertThatThrownBy(() -> Prm.noisy(task, 1, 0.5, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("floor");
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> new ArithmeticTask(new int[] {1}, 0.1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("number of terms");
    assertThatThrownBy(() -> new ArithmeticTask(new int[] {1, 2}, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("error rate");
    assertThatThrownBy(() -> ArithmeticTask.problems(5, 0, 0.3, 0.1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("error range = [0.3, 0.1]");
    ArithmeticTask task = new ArithmeticTask(new int[] {1, 2}, 0.1);
    Trace done = task.sample(1, new Rng(0));
    assertThatThrownBy(() -> task.step(done, 1, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("finished");
    assertThatThrownBy(() -> task.step(task.start(), 0, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("temperature");
  }
}
