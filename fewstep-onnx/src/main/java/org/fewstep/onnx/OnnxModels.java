package org.fewstep.onnx;

import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.onnx.diffusion.OnnxDiffusionModel;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.onnx.text.OnnxCausalLm;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.model.MaskedModels;

/**
 * Makes exported models available by name: {@link #register} adds {@code onnx:DIR} to the diffusion
 * model registry ({@link OnnxDiffusionModel}), the language-model registry ({@link OnnxCausalLm}) and
 * the masked-model registry ({@link OnnxMaskedLm}), so that {@code fewstep sample}, {@code generate}
 * (with {@code --speculative draft=onnx:DIR}) and {@code generate --masked} run every sampler and
 * decoder unchanged on exported models. The core modules do not depend on ONNX Runtime; whoever
 * wants these names (the CLI) calls {@link #register} once.
 */
public final class OnnxModels {
  private OnnxModels() {}

  private static boolean registered;

  /** Registers the {@code onnx} components (once; later calls do nothing). */
  public static synchronized void register() {
    if (registered) {
      return;
    }
    registered = true;
    Diffusion.models().register(OnnxDiffusionModel.component());
    LanguageModels.registry().register(OnnxCausalLm.COMPONENT);
    MaskedModels.registry().register(new Component<MaskedLm>("onnx",
        "masked LM exported to ONNX (model.onnx with input_ids -> logits for every position, config.json)",
        "discrete-and-data.md 0.1",
        List.of(Option.text("dir", null, "the model folder").asRequiredPositional(), THREADS, CUDA),
        o -> OnnxMaskedLm.load(Path.of(o.get("dir")), options(o))));
  }

  static final Option THREADS = Option.integer("threads", 1, 0, 4096, "ONNX Runtime intra-op threads (0 = all cores)");
  static final Option CUDA = Option.flag("cuda", false, "CUDA execution provider (build with -Pgpu)");

  static OnnxSession.Options options(org.fewstep.core.registry.Options o) {
    return new OnnxSession.Options(o.getInt("threads"), o.getBool("cuda"), 0);
  }
}
