package org.fewstep.onnx.text;

import java.nio.file.Path;

/** The fixture folders of fixtures/toy-causal-lm (written by fixtures/make_causal_lm.py), loaded once per JVM. */
final class ToyModels {
  private ToyModels() {}

  static final Path DIR = Path.of("fixtures", "toy-causal-lm");

  private static OnnxCausalLm target;
  private static OnnxCausalLm draft;

  /** The 2-layer target (shared by the tests; never closed). */
  static synchronized OnnxCausalLm target() {
    if (target == null) {
      target = OnnxCausalLm.load(DIR);
    }
    return target;
  }

  /** The 1-layer draft over the same tokenizer. */
  static synchronized OnnxCausalLm draft() {
    if (draft == null) {
      draft = OnnxCausalLm.load(DIR.resolve("draft"));
    }
    return draft;
  }
}
