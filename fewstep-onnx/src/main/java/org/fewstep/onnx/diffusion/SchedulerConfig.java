package org.fewstep.onnx.diffusion;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Keyed;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.VpDiscreteSchedule;

/**
 * A diffusers {@code scheduler_config.json} read into fewstep's terms. The fields that define the
 * model (diffusers' {@code SchedulerMixin}/{@code ConfigMixin} configs: {@code num_train_timesteps},
 * {@code beta_schedule} with {@code beta_start}/{@code beta_end} or {@code trained_betas},
 * {@code prediction_type}) become a {@code vp-discrete} {@link NoiseSchedule} and a
 * {@link Prediction}; absent fields take diffusers' defaults (1000 steps, linear 1e-4..0.02,
 * epsilon). The fields that only choose inference timesteps ({@code timestep_spacing},
 * {@code steps_offset}, {@code lambda_min_clipped}) are kept for {@link #timesteps} and
 * {@link #grid}, which reproduce diffusers' {@code DPMSolverMultistepScheduler.set_timesteps}.
 * Solver settings ({@code solver_order}, {@code clip_sample}, ...) are fewstep sampler options and
 * are ignored here. What fewstep cannot represent is a {@link BadInputException} naming the file
 * and the field: zero terminal SNR, learned variances, continuous (EDM or flow-matching) timesteps,
 * an unknown beta schedule or prediction type.
 */
public final class SchedulerConfig {
  /** diffusers' {@code timestep_spacing} (Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are Flawed", Table 2). */
  public enum Spacing implements Keyed {
    LINSPACE("linspace"),
    LEADING("leading"),
    TRAILING("trailing");

    private final String key;

    Spacing(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  /** fewstep's default {@code clip-lambda} of vp-discrete (official DPM-Solver's numerical clip). */
  private static final double CLIP_LAMBDA = -5.1;
  private static final List<String> CONTINUOUS_SCHEDULERS =
      List.of("FlowMatch", "EDM", "ScoreSdeVe", "KarrasVe", "CMStochasticIterative", "VQDiffusion", "Amused");
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final Path file;
  private final String className;
  private final int trainSteps;
  private final VpDiscreteSchedule.Betas betaSchedule;
  private final double betaStart;
  private final double betaEnd;
  private final double[] trainedBetas;
  private final Prediction prediction;
  private final Spacing spacing;
  private final int stepsOffset;
  private final double lambdaMinClipped;
  private final String sigmaSpacing;
  private final VpDiscreteSchedule schedule;

  private SchedulerConfig(Path file, JsonNode root) {
    this.file = file;
    if (!root.isObject()) {
      throw BadInputException.of(file.toString(), "a JSON " + root.getNodeType().toString().toLowerCase(Locale.ROOT), "a JSON object");
    }
    this.className = optionalText(root, "_class_name", "");
    for (String prefix : CONTINUOUS_SCHEDULERS) {
      if (className.startsWith(prefix)) {
        throw BadInputException.of(where("_class_name"), className,
            "a discrete-time VP scheduler (DDIM, DDPM, PNDM, Euler, DPM-Solver, UniPC, ...): fewstep reads this config as vp-discrete");
      }
    }
    this.trainSteps = integer(root, "num_train_timesteps", 1000, 2);
    String schedule = optionalText(root, "beta_schedule", "linear");
    this.betaStart = number(root, "beta_start", 1e-4);
    this.betaEnd = number(root, "beta_end", 0.02);
    JsonNode trained = root.get("trained_betas");
    if (trained != null && !trained.isNull()) {
      this.trainedBetas = numbers(trained, "trained_betas");
      this.betaSchedule = null;
    } else {
      this.trainedBetas = null;
      this.betaSchedule = switch (schedule) {
        case "linear" -> VpDiscreteSchedule.Betas.LINEAR;
        case "scaled_linear" -> VpDiscreteSchedule.Betas.SCALED_LINEAR;
        case "squaredcos_cap_v2" -> VpDiscreteSchedule.Betas.SQUAREDCOS_CAP_V2;
        default -> throw BadInputException.of(where("beta_schedule"), schedule,
            "linear, scaled_linear or squaredcos_cap_v2 (or trained_betas)");
      };
    }
    String type = optionalText(root, "prediction_type", "epsilon");
    this.prediction = switch (type) {
      case "epsilon" -> Prediction.EPS;
      case "v_prediction" -> Prediction.V;
      case "sample" -> Prediction.X0;
      default -> throw BadInputException.of(where("prediction_type"), type, "epsilon, v_prediction or sample");
    };
    String spacingKey = optionalText(root, "timestep_spacing", "linspace");
    this.spacing = switch (spacingKey) {
      case "linspace" -> Spacing.LINSPACE;
      case "leading" -> Spacing.LEADING;
      case "trailing" -> Spacing.TRAILING;
      default -> throw BadInputException.of(where("timestep_spacing"), spacingKey, "linspace, leading or trailing");
    };
    this.stepsOffset = integer(root, "steps_offset", 0, 0);
    JsonNode clip = root.get("lambda_min_clipped");
    this.lambdaMinClipped = clip == null || clip.isNull() ? Double.NEGATIVE_INFINITY : lenientNumber(clip, "lambda_min_clipped");
    if (flag(root, "rescale_betas_zero_snr")) {
      throw BadInputException.of(where("rescale_betas_zero_snr"), true,
          "false: zero terminal SNR (alpha = 0 at the last step) has no finite log-SNR in fewstep's schedules");
    }
    String variance = optionalText(root, "variance_type", "");
    if (variance.startsWith("learned")) {
      throw BadInputException.of(where("variance_type"), variance,
          "a fixed variance: a model with learned variances returns extra channels, which fewstep does not read");
    }
    String timestepType = optionalText(root, "timestep_type", "discrete");
    if (!timestepType.equals("discrete")) {
      throw BadInputException.of(where("timestep_type"), timestepType, "discrete (continuous timesteps are EDM-style)");
    }
    this.sigmaSpacing = flag(root, "use_karras_sigmas") ? "use_karras_sigmas (sampler option skip=karras)"
        : flag(root, "use_lu_lambdas") ? "use_lu_lambdas (sampler option skip=logsnr)"
        : flag(root, "use_exponential_sigmas") ? "use_exponential_sigmas"
        : flag(root, "use_beta_sigmas") ? "use_beta_sigmas" : null;
    this.schedule = buildSchedule();
  }

  /** Reads {@code file}; a missing or malformed file or a field fewstep cannot map is a {@link BadInputException}. */
  public static SchedulerConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw BadInputException.of("scheduler config", file, "an existing scheduler_config.json");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode root;
    try {
      root = LENIENT.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BadInputException(file + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new BadInputException(file + ": empty JSON document");
    }
    return new SchedulerConfig(file, root);
  }

  private VpDiscreteSchedule buildSchedule() {
    try {
      if (trainedBetas != null) {
        return VpDiscreteSchedule.of(trainedBetas, CLIP_LAMBDA, Double.NaN, Double.NaN,
            "vp-discrete (trained_betas of " + file + ")");
      }
      String spec = "vp-discrete:betas=" + betaSchedule.key() + ",train-steps=" + trainSteps;
      if (betaSchedule != VpDiscreteSchedule.Betas.SQUAREDCOS_CAP_V2) {
        spec += ",beta-start=" + betaStart + ",beta-end=" + betaEnd;
      }
      return (VpDiscreteSchedule) Schedules.create(spec);
    } catch (BadInputException e) {
      throw new BadInputException(file + ": " + e.getMessage(), e);
    }
  }

  /** The file this was read from. */
  public Path file() {
    return file;
  }

  /** diffusers' {@code _class_name} ("" if absent). */
  public String className() {
    return className;
  }

  /** {@code num_train_timesteps}. */
  public int trainSteps() {
    return trainSteps;
  }

  /**
   * The model's schedule: vp-discrete with these betas and fewstep's defaults for the rest
   * (sampling from t = 1, the last training step, to t = 1/N, the first; official DPM-Solver's
   * log-SNR clip at -5.1, which matters only for cosine betas). Its {@link NoiseSchedule#networkTime}
   * is the diffusers timestep.
   */
  public VpDiscreteSchedule schedule() {
    return schedule;
  }

  /** {@code prediction_type}: epsilon, v_prediction, sample as fewstep's eps, v, x0. */
  public Prediction prediction() {
    return prediction;
  }

  public Spacing spacing() {
    return spacing;
  }

  public int stepsOffset() {
    return stepsOffset;
  }

  /** The schedule time of diffusers timestep (training index) {@code k}: {@code (k + 1) / N}. */
  public double time(double k) {
    return (k + 1) / schedule.length();
  }

  /**
   * The {@code steps} timesteps (training indices, noisiest first) that diffusers'
   * {@code DPMSolverMultistepScheduler.set_timesteps(steps)} chooses for this config's
   * {@code timestep_spacing}, {@code steps_offset} and {@code lambda_min_clipped} (the same for
   * UniPC and DEIS multistep): linspace {@code round(linspace(0, T-1, steps+1))} reversed without its
   * last entry; leading {@code arange(steps+1) * (T // (steps+1)) + steps_offset} likewise; trailing
   * {@code round(arange(T, 0, -N/steps)) - 1}; where T is N less the steps clipped by
   * {@code lambda_min_clipped}.
   */
  public int[] timesteps(int steps) {
    BadInputException.requireAtLeast("steps", steps, 1);
    int last = trainSteps - clippedSteps();
    int[] out;
    switch (spacing) {
      case LINSPACE: {
        double step = (last - 1.0) / steps;
        out = new int[steps];
        for (int i = 0; i < steps; i++) {
          out[i] = (int) Math.rint((steps - i) * step);
        }
        break;
      }
      case LEADING: {
        int ratio = last / (steps + 1);
        if (ratio == 0) {
          throw BadInputException.of("steps", steps, "at most " + (last - 1) + " for timestep_spacing leading of " + file);
        }
        out = new int[steps];
        for (int i = 0; i < steps; i++) {
          out[i] = (steps - i) * ratio + stepsOffset;
        }
        break;
      }
      default: {
        double ratio = (double) trainSteps / steps;
        double delta = (last - ratio) - last;
        int count = (int) Math.ceil(last / ratio);
        out = new int[count];
        for (int i = 0; i < count; i++) {
          out[i] = (int) Math.rint(last + i * delta) - 1;
        }
      }
    }
    for (int i = 1; i < out.length; i++) {
      if (out[i] >= out[i - 1]) {
        throw BadInputException.of("steps", steps, "fewer steps: timestep_spacing " + spacing.key() + " of " + file
            + " repeats timestep " + out[i]);
      }
    }
    return out;
  }

  /**
   * The time grid diffusers' DPM-Solver/UniPC would step through for {@code steps} steps
   * ({@link #timesteps}), ending at timestep 0 (diffusers' {@code final_sigmas_type="sigma_min"}).
   * fewstep's schedules end at a positive noise level: diffusers' default {@code "zero"} corresponds
   * to adding the sampler option {@code denoise=true}. Pass it to
   * {@code DiffusionSampler.sample(denoiser, grid, ...)}; the sampler's {@code skip} is then unused.
   */
  public TimeGrid grid(int steps) {
    if (sigmaSpacing != null) {
      throw BadInputException.of(where(sigmaSpacing.split(" ")[0]), true,
          "false for diffusers' timestep grid: use the sampler's own spacing instead (" + sigmaSpacing + ")");
    }
    int[] k = timesteps(steps);
    if (k[k.length - 1] <= 0) {
      throw BadInputException.of("steps", steps, "fewer: the last timestep of " + file + " would already be 0");
    }
    double[] times = new double[k.length + 1];
    for (int i = 0; i < k.length; i++) {
      times[i] = time(k[i]);
    }
    times[k.length] = time(0);
    return TimeGrid.of(schedule, times);
  }

  /** The number of training steps with lambda below {@code lambda_min_clipped} (diffusers' clipped_idx). */
  private int clippedSteps() {
    if (!(lambdaMinClipped > Double.NEGATIVE_INFINITY)) {
      return 0;
    }
    int count = 0;
    for (int k = 0; k < trainSteps; k++) {
      if (schedule.lambda(time(k)) < lambdaMinClipped) {
        count++;
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SchedulerConfig[%s %s, N=%d, %s, prediction=%s, spacing=%s, offset=%d]",
        className.isEmpty() ? "?" : className, trainedBetas != null ? "trained_betas" : betaSchedule.key(), trainSteps,
        schedule.spec(), prediction.key(), spacing.key(), stepsOffset);
  }

  // ------------------------------------------------------------------ field readers

  private String where(String field) {
    return file + ": " + field;
  }

  private String optionalText(JsonNode root, String field, String fallback) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw BadInputException.of(where(field), v, "a string");
    }
    return v.textValue();
  }

  private int integer(JsonNode root, String field, int fallback, int min) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
      throw BadInputException.of(where(field), v, "an integer >= " + min);
    }
    return v.intValue();
  }

  private double number(JsonNode root, String field, double fallback) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw BadInputException.of(where(field), v, "a finite number");
    }
    return v.doubleValue();
  }

  private double lenientNumber(JsonNode v, String field) {
    if (!v.isNumber()) {
      throw BadInputException.of(where(field), v, "a number");
    }
    return v.doubleValue();
  }

  private boolean flag(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw BadInputException.of(where(field), v, "true or false");
    }
    return v.booleanValue();
  }

  private double[] numbers(JsonNode v, String field) {
    if (!v.isArray()) {
      throw BadInputException.of(where(field), v.getNodeType(), "an array of numbers");
    }
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
        throw BadInputException.of(where(field + "[" + i + "]"), e, "a finite number");
      }
      values.add(e.doubleValue());
    }
    if (values.size() != trainSteps) {
      throw BadInputException.of(where(field), values.size() + " betas", trainSteps + " (num_train_timesteps)");
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
