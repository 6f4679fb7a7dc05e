package org.fewstep.data.rl;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * A small trainable "reasoner" for the sums of {@link org.fewstep.scaling.task.ArithmeticTask} (3 to 12
 * terms in [1, 99], one line per addition, the last line's value is the answer, the verifier compares it
 * with the true sum). That task's generator has a fixed error law and the {@link org.fewstep.scaling.Task}
 * contract exposes no parameters, so the trainable policy lives here, over the same problems and verifier.
 *
 * <p>The policy: for each line (adding term {@code x} to the running sum {@code r}) it chooses one of three
 * methods with a log-linear (softmax) law, {@code pi(s | phi) ∝ exp(theta_s · phi)}, over the line's
 * features {@code phi = (1, carry, nearTen, big)}: {@code carry} when the units digits of r and x add to 10
 * or more, {@code nearTen} when x ends in 7, 8 or 9, {@code big} when {@code r >= 100} (features use the
 * true running sum). The methods differ in how often they slip (the environment's skill, not trained):
 * <ul>
 *   <li>{@code DIRECT} ({@code r+x=v}): slip 0.02 + 0.30 carry + 0.08 big;
 *   <li>{@code COLUMNS} (units, then tens): slip 0.05 + 0.01 big;
 *   <li>{@code ROUND} (add the next ten, take back the rest): slip 0.02 if nearTen else 0.30, + 0.05 big.
 * </ul>
 * A slip puts the line's value off by d uniform on {-50..-1, 1..50}, carried onward as in ArithmeticTask,
 * so errors may cancel. Parameters are shared by all lines of all problems: learning on one sum moves the
 * others, and problems differ in difficulty (length, carries) and so in acceptance rate and gradient norm.
 * Everything is exact: the per-sample gradient of {@code -log p_theta(y | x)} in closed form, and a
 * problem's success probability by convolving the per-line error laws.
 */
public final class AdditionReasoner {
  /** The line methods, in parameter order. */
  public enum Method { DIRECT, COLUMNS, ROUND }

  /** Number of methods. */
  public static final int METHODS = 3;
  /** Number of line features (bias, carry, nearTen, big). */
  public static final int FEATURES = 4;
  /** Number of parameters, {@code METHODS * FEATURES}, method-major. */
  public static final int PARAMETERS = METHODS * FEATURES;
  /** The largest slip of one line. */
  public static final int MAX_SLIP = 50;

  /**
   * A sum to compute: at least two terms, and the parameter group ({@code >= 0}) whose block of the policy's
   * parameters solves it (0 for a one-group policy).
   */
  public record Problem(int[] terms, int group) {
    public Problem {
      BadInputException.requireAtLeast("problem: number of terms", terms.length, 2);
      BadInputException.requireAtLeast("problem: group", group, 0);
      terms = terms.clone();
    }

    /** A sum in group 0. */
    public Problem(int[] terms) {
      this(terms, 0);
    }

    /** The number of lines (additions). */
    public int lines() {
      return terms.length - 1;
    }

    /** The true sum. */
    public int sum() {
      int s = 0;
      for (int t : terms) {
        s += t;
      }
      return s;
    }

    /** The features of line {@code l} (adding term l+1 to the sum of the terms before it). */
    public double[] features(int l) {
      int r = 0;
      for (int j = 0; j <= l; j++) {
        r += terms[j];
      }
      int x = terms[l + 1];
      return new double[] {1, (r % 10 + x % 10) >= 10 ? 1 : 0, x % 10 >= 7 ? 1 : 0, r >= 100 ? 1 : 0};
    }

    /** The outcome verifier: the answer equals the sum. */
    public boolean correct(Response y) {
      return y.answer() == sum();
    }
  }

  /**
   * One solution: the method and the error of each line, and the final answer.
   *
   * @param methods per line, the index of the {@link Method} used
   * @param errors  per line, the slip (0 when the line is right)
   * @param answer  the last line's value
   */
  public record Response(int[] methods, int[] errors, int answer) {}

  private final int groups;
  private final double[] theta;

  /** A one-group reasoner with parameters {@code theta} ({@link #PARAMETERS} finite numbers, method-major). */
  public AdditionReasoner(double[] theta) {
    this(1, theta);
  }

  /**
   * A reasoner with {@code groups} separate blocks of {@link #PARAMETERS} parameters (block g, method-major,
   * at {@code g * PARAMETERS}); a problem of group g is solved with block g only. More groups make a richer
   * policy whose blocks learn only from their own problems' samples.
   */
  public AdditionReasoner(int groups, double[] theta) {
    BadInputException.requireAtLeast("groups", groups, 1);
    if (theta.length != groups * PARAMETERS) {
      throw BadInputException.of("theta length", theta.length, groups * PARAMETERS + " (groups x methods x features)");
    }
    for (int k = 0; k < theta.length; k++) {
      BadInputException.requireFinite("theta[" + k + "]", theta[k]);
    }
    this.groups = groups;
    this.theta = theta.clone();
  }

  /**
   * The starting policy of the experiments, a "pretrained" habit: DIRECT has logit bias 2 and the others 0
   * whatever the features, so it is used on about 79 % of lines, carries included.
   */
  public static AdditionReasoner initial() {
    return initial(1);
  }

  /** The starting policy with {@code groups} parameter blocks, each the DIRECT habit of {@link #initial()}. */
  public static AdditionReasoner initial(int groups) {
    BadInputException.requireAtLeast("groups", groups, 1);
    double[] t = new double[groups * PARAMETERS];
    for (int g = 0; g < groups; g++) {
      t[g * PARAMETERS] = 2;
    }
    return new AdditionReasoner(groups, t);
  }

  /**
   * A seeded problem set: {@code count} sums of 3 to 12 terms in [1, 99], as ArithmeticTask's problems.
   */
  public static List<Problem> problems(int count, long seed) {
    return problems(count, seed, 3, 12, 1);
  }

  /**
   * A seeded problem set: {@code count} sums of {@code minTerms} to {@code maxTerms} terms (uniform) in [1, 99];
   * the term counts are cut into {@code groups} equal consecutive ranges, the problem's group being its range
   * (so a policy with that many groups has one parameter block per length range).
   */
  public static List<Problem> problems(int count, long seed, int minTerms, int maxTerms, int groups) {
    BadInputException.requireAtLeast("problems: count", count, 1);
    BadInputException.requireAtLeast("problems: minTerms", minTerms, 2);
    BadInputException.requireAtLeast("problems: maxTerms", maxTerms, minTerms);
    BadInputException.requireAtLeast("problems: groups", groups, 1);
    int span = maxTerms - minTerms + 1;
    if (groups > span) {
      throw BadInputException.of("problems: groups", groups, "at most the number of term counts, " + span);
    }
    List<Problem> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Rng rng = Rng.stream(seed, i);
      int k = rng.nextInt(span);
      int[] terms = new int[minTerms + k];
      for (int j = 0; j < terms.length; j++) {
        terms[j] = 1 + rng.nextInt(99);
      }
      out.add(new Problem(terms, k * groups / span));
    }
    return out;
  }

  /** The number of parameter blocks. */
  public int groups() {
    return groups;
  }

  /** The number of parameters, {@code groups * PARAMETERS}. */
  public int parameterCount() {
    return theta.length;
  }

  /** The parameters (a copy). */
  public double[] parameters() {
    return theta.clone();
  }

  /** The reasoner with parameters {@code theta + step * direction}. */
  public AdditionReasoner moved(double step, double[] direction) {
    if (direction.length != theta.length) {
      throw BadInputException.of("direction length", direction.length, String.valueOf(theta.length));
    }
    double[] t = theta.clone();
    for (int k = 0; k < t.length; k++) {
      t[k] += step * direction[k];
    }
    return new AdditionReasoner(groups, t);
  }

  /** The slip probability of method {@code m} on a line with features {@code phi}. */
  public static double slipProbability(int m, double[] phi) {
    double carry = phi[1];
    double nearTen = phi[2];
    double big = phi[3];
    return switch (m) {
      case 0 -> 0.02 + 0.30 * carry + 0.08 * big;
      case 1 -> 0.05 + 0.01 * big;
      case 2 -> (nearTen > 0 ? 0.02 : 0.30) + 0.05 * big;
      default -> throw BadInputException.of("method", m, "0.." + (METHODS - 1));
    };
  }

  /** The method law {@code pi(. | phi)} of group 0. */
  public double[] methodProbabilities(double[] phi) {
    return methodProbabilities(0, phi);
  }

  /** The method law {@code pi(. | phi)} of parameter block {@code group}. */
  public double[] methodProbabilities(int group, double[] phi) {
    if (group < 0 || group >= groups) {
      throw BadInputException.of("group", group, "0.." + (groups - 1));
    }
    int base = group * PARAMETERS;
    double[] logits = new double[METHODS];
    double max = Double.NEGATIVE_INFINITY;
    for (int m = 0; m < METHODS; m++) {
      double z = 0;
      for (int f = 0; f < FEATURES; f++) {
        z += theta[base + m * FEATURES + f] * phi[f];
      }
      logits[m] = z;
      max = Math.max(max, z);
    }
    double total = 0;
    for (int m = 0; m < METHODS; m++) {
      logits[m] = Math.exp(logits[m] - max);
      total += logits[m];
    }
    for (int m = 0; m < METHODS; m++) {
      logits[m] /= total;
    }
    return logits;
  }

  /** One solution of {@code x}. */
  public Response sample(Problem x, Rng rng) {
    int lines = x.lines();
    int[] methods = new int[lines];
    int[] errors = new int[lines];
    int offset = 0;
    Categorical law = new Categorical();
    for (int l = 0; l < lines; l++) {
      double[] phi = x.features(l);
      int m = law.setWeights("method law", methodProbabilities(x.group(), phi), METHODS).sample(rng);
      methods[l] = m;
      if (rng.nextDouble() < slipProbability(m, phi)) {
        int d = 1 + rng.nextInt(MAX_SLIP);
        errors[l] = rng.nextInt(2) == 0 ? d : -d;
        offset += errors[l];
      }
    }
    return new Response(methods, errors, x.sum() + offset);
  }

  /** {@code log p_theta(y | x)}: the method choices, the slips and their sizes. */
  public double logProbability(Problem x, Response y) {
    double lp = 0;
    for (int l = 0; l < x.lines(); l++) {
      double[] phi = x.features(l);
      int m = y.methods()[l];
      double eps = slipProbability(m, phi);
      lp += Math.log(methodProbabilities(x.group(), phi)[m]) + (y.errors()[l] == 0 ? Math.log1p(-eps) : Math.log(eps / (2 * MAX_SLIP)));
    }
    return lp;
  }

  /**
   * The exact gradient of {@code -log p_theta(y | x)}: {@code sum_l (pi(. | phi_l) - e_{m_l}) ⊗ phi_l}
   * (the slips do not depend on theta).
   */
  public double[] negLogProbabilityGradient(Problem x, Response y) {
    double[] g = new double[theta.length];
    addNegLogProbabilityGradient(x, y, 1, g);
    return g;
  }

  /** Adds {@code weight} times the gradient of {@code -log p_theta(y | x)} to {@code out}. */
  public void addNegLogProbabilityGradient(Problem x, Response y, double weight, double[] out) {
    for (int l = 0; l < x.lines(); l++) {
      double[] phi = x.features(l);
      double[] pi = methodProbabilities(x.group(), phi);
      pi[y.methods()[l]] -= 1;
      int base = x.group() * PARAMETERS;
      for (int m = 0; m < METHODS; m++) {
        for (int f = 0; f < FEATURES; f++) {
          out[base + m * FEATURES + f] += weight * pi[m] * phi[f];
        }
      }
    }
  }

  /**
   * The exact probability that a solution of {@code x} is correct: the per-line error law is
   * {@code P(0) = sum_m pi_m (1 - eps_m)} and {@code P(d) = (1 - P(0)) / 100} for each slip d, and the
   * answer is right when the errors sum to 0 (a convolution over the offset, with window sums).
   */
  public double successProbability(Problem x) {
    int lines = x.lines();
    int size = 2 * MAX_SLIP * lines + 1;
    int centre = MAX_SLIP * lines;
    double[] dist = new double[size];
    dist[centre] = 1;
    double[] prefix = new double[size + 1];
    int lo = centre;
    int hi = centre;
    for (int l = 0; l < lines; l++) {
      double[] phi = x.features(l);
      double[] pi = methodProbabilities(x.group(), phi);
      double right = 0;
      for (int m = 0; m < METHODS; m++) {
        right += pi[m] * (1 - slipProbability(m, phi));
      }
      double each = (1 - right) / (2 * MAX_SLIP);
      for (int i = 0; i < size; i++) {
        prefix[i + 1] = prefix[i] + dist[i];
      }
      int newLo = lo - MAX_SLIP;
      int newHi = hi + MAX_SLIP;
      double[] next = new double[size];
      for (int o = newLo; o <= newHi; o++) {
        int a = Math.max(0, o - MAX_SLIP);
        int b = Math.min(size - 1, o + MAX_SLIP);
        double window = prefix[b + 1] - prefix[a] - dist[o];
        next[o] = right * dist[o] + each * window;
      }
      dist = next;
      lo = newLo;
      hi = newHi;
    }
    return dist[centre];
  }

  /** The mean exact success probability over {@code problems}. */
  public double accuracy(List<Problem> problems) {
    double s = 0;
    for (Problem x : problems) {
      s += successProbability(x);
    }
    return s / problems.size();
  }
}
