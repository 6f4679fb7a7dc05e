package org.fewstep.onnx.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model folders are BadInputExceptions that name the file and what was expected. */
class OnnxCausalLmErrorsTest {
  @TempDir
  Path tmp;

  /** A copy of the toy folder with {@code model} as model.onnx (null: none), without the files in {@code drop}. */
  private Path folder(String name, Path model, String... drop) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    for (String f : new String[] {"tokenizer.json", "config.json", "generation_config.json"}) {
      Files.copy(ToyModels.DIR.resolve(f), dir.resolve(f));
    }
    if (model != null) {
      Files.copy(model, dir.resolve("model.onnx"));
    }
    for (String f : drop) {
      Files.delete(dir.resolve(f));
    }
    return dir;
  }

  private Path folder(String name) throws Exception {
    return folder(name, ToyModels.DIR.resolve("model.onnx"));
  }

  private static void fails(Path dir, String... parts) {
    var thrown = assertThatThrownBy(() -> OnnxCausalLm.load(dir).close()).isInstanceOf(BadInputException.class);
    for (String p : parts) {
      thrown.hasMessageContaining(p);
    }
  }

  @Test
  void missingFilesAreNamed() throws Exception {
    fails(tmp.resolve("nowhere"), "nowhere", "a folder with model.onnx, tokenizer.json and config.json");
    fails(folder("no-model", null), "model.onnx", "missing", "text-generation-with-past");
    Path old = folder("old-optimum", null);
    Files.copy(ToyModels.DIR.resolve("model.onnx"), old.resolve("decoder_model_merged.onnx"));
    fails(old, "decoder_model_merged.onnx", "optimum before 1.14");
    fails(folder("no-tokenizer", ToyModels.DIR.resolve("model.onnx"), "tokenizer.json"), "tokenizer.json", "missing");
    fails(folder("no-config", ToyModels.DIR.resolve("model.onnx"), "config.json"), "config.json", "missing");
    // generation_config.json is optional: transformers' defaults (greedy)
    try (OnnxCausalLm m = OnnxCausalLm.load(folder("no-generation", ToyModels.DIR.resolve("model.onnx"),
        "generation_config.json"))) {
      assertThat(m.generationDefaults().sampler()).isEqualTo("greedy");
      assertThat(m.bos()).isZero(); // from config.json
      assertThat(m.vocabulary().eos()).isZero();
    }
  }

  @Test
  void malformedConfigsAreNamed() throws Exception {
    Path broken = folder("broken-config");
    Files.writeString(broken.resolve("config.json"), "{\"num_hidden_layers\": 2,");
    fails(broken, "config.json", "malformed JSON", "line 1");
    Path typed = folder("typed-config");
    Files.writeString(typed.resolve("config.json"), "{\"num_hidden_layers\": \"two\"}");
    fails(typed, "config.json: num_hidden_layers", "an integer >= 1");
    Path layers = folder("wrong-layers");
    Files.writeString(layers.resolve("config.json"), "{\"num_hidden_layers\": 3, \"bos_token_id\": 0}");
    fails(layers, "num_hidden_layers = 3", "past_key_values for 2 layers");
    Path gen = folder("bad-generation");
    Files.writeString(gen.resolve("generation_config.json"), "{\"do_sample\": \"yes\"}");
    fails(gen, "generation_config.json: do_sample", "true or false");
    Path eos = folder("bad-eos");
    Files.writeString(eos.resolve("generation_config.json"), "{\"eos_token_id\": [45, 0]}");
    fails(eos, "end-of-sequence id = 45", "tokenizer.json");
    Path tokenizer = folder("bad-tokenizer");
    Files.writeString(tokenizer.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
    fails(tokenizer, "tokenizer.json", "WordPiece");
  }

  @Test
  void unsupportedLayoutsAreNamed() throws Exception {
    Path bad = ToyModels.DIR.resolve("unsupported");
    fails(folder("fused", bad.resolve("fused-key-value.onnx")), "model.onnx", "past_key_values.0.key_value",
        "Bloom, GPTBigCode", "separate key and value tensors");
    fails(folder("merged", bad.resolve("merged-use-cache-branch.onnx")), "model.onnx", "use_cache_branch",
        "optimum < 1.14", "text-generation-with-past");
    fails(folder("no-past", bad.resolve("no-past.onnx")), "model.onnx", "no past_key_values",
        "--task text-generation-with-past");
    Path notOnnx = tmp.resolve("text.onnx");
    Files.writeString(notOnnx, "not a model");
    fails(folder("not-onnx", notOnnx), "model.onnx", "cannot load");
    fails(folder("extra", bad.resolve("extra-input.onnx")), "model.onnx", "input token_type_ids", "unknown",
        "the optimum text-generation-with-past layout");
  }

  /** A model that returns NaN (the fixture's "nan" draft reads "z" as a NaN embedding) is refused, state unchanged. */
  @Test
  void nanLogitsAreAClearErrorThatLeavesTheStateAsItWas() {
    try (OnnxCausalLm m = OnnxCausalLm.load(ToyModels.DIR.resolve("nan"))) {
      int z = m.tokenizer().encode("z")[0];
      int[] cat = m.tokenizer().encode("the cat");
      OnnxCausalLm.State s = m.start();
      double[][] rows = s.append(cat);
      assertThat(java.util.Arrays.stream(rows[cat.length]).noneMatch(Double::isNaN)).isTrue();
      assertThatThrownBy(() -> s.append(z)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("nan").hasMessageContaining("model.onnx").hasMessageContaining("NaN");
      assertThatThrownBy(() -> s.prefill(new int[] {z, z}, null)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("NaN");
      assertThat(s.tokens()).containsExactly(cat);
      double[] next = new double[m.vocabulary().size()];
      s.next(next);
      assertThat(next).containsExactly(rows[cat.length]);
      s.close();
      assertThatThrownBy(() -> org.fewstep.text.generate.Generation.of(m).prompt("the z").run())
          .isInstanceOf(BadInputException.class).hasMessageContaining("NaN");
    }
  }
}
