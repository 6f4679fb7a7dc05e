package org.fewstep.diffusion.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.fewstep.core.io.Json;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Keyed;
import org.fewstep.core.registry.Registry;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;

/** The registered diffusion models (exact analytic ones here) and model-error wrappers. */
public final class Models {
  private static final Option PREDICTION = Option.choice("prediction", "x0",
      "what the model returns (the solvers see the same denoiser either way)", Keyed.keys(Prediction.class));

  private static final Registry<DiffusionModel> REGISTRY = new Registry<DiffusionModel>("model")
      .register(new Component<>("digits",
          "exact denoiser of 10 000 MNIST digits (28x28, 10 classes), the embedded default",
          "LeCun, Cortes and Burges, MNIST; the optimal denoiser of an empirical distribution",
          List.of(Option.integer("per-class", Digits.MAX_PER_CLASS, 1, Digits.MAX_PER_CLASS,
              "use the first N images of each class"), PREDICTION),
          o -> Digits.model(o.getInt("per-class"), prediction(o.get("prediction")))))
      .register(new Component<>("gmm",
          "Gaussian mixture with diagonal covariances from a JSON file (exact score)",
          "diffusion.md 0.7",
          List.of(Option.text("file", null, "the mixture's JSON file").asRequiredPositional(), PREDICTION),
          o -> GaussianMixture.load(Path.of(o.get("file")), prediction(o.get("prediction")))))
      .register(new Component<>("gmm-2d",
          "built-in: 8 Gaussians on a circle in 2-D (std 0.1), one class each",
          "diffusion.md 0.7",
          List.of(PREDICTION),
          o -> builtin("gmm-2d.json", prediction(o.get("prediction")))))
      .register(new Component<>("gmm-16d",
          "built-in: 6 Gaussians in 16-D with stds 0.05-0.3 and unequal weights, one class each",
          "diffusion.md 0.7",
          List.of(PREDICTION),
          o -> builtin("gmm-16d.json", prediction(o.get("prediction")))))
      .register(new Component<>("gmm-64d",
          "built-in: 10 Gaussians in 64-D with small stds (0.02-0.08), one class each",
          "diffusion.md 0.7",
          List.of(PREDICTION),
          o -> builtin("gmm-64d.json", prediction(o.get("prediction")))));

  private static final Registry<UnaryOperator<Denoiser>> ERRORS = new Registry<UnaryOperator<Denoiser>>("model error");

  static {
    for (PerturbedDenoiser.Kind kind : PerturbedDenoiser.Kind.values()) {
      String name = kind.name().toLowerCase(Locale.ROOT);
      ERRORS.register(new Component<>(name,
          "adds a " + name + " error to the data estimate (see PerturbedDenoiser)",
          "diffusion.md 0.7",
          List.of(
              Option.real("size", 0.01, 0, Double.POSITIVE_INFINITY, "error size (RMS per element)"),
              Option.real("frequency", 1.0, 0, Double.POSITIVE_INFINITY, "smooth: angular frequency in log-SNR"),
              Option.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the error direction")),
          o -> d -> new PerturbedDenoiser(d, kind, o.getDouble("size"), o.getDouble("frequency"), o.getInt("seed"))));
    }
  }

  private Models() {}

  public static Registry<DiffusionModel> registry() {
    return REGISTRY;
  }

  public static Registry<UnaryOperator<Denoiser>> errors() {
    return ERRORS;
  }

  private static Prediction prediction(String key) {
    return Prediction.of(key);
  }

  private static GaussianMixture builtin(String resource, Prediction prediction) {
    try (InputStream in = Models.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled resource " + resource + " is missing");
      }
      JsonNode node = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
      return GaussianMixture.fromJson(node, resource, prediction);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
