package org.fewstep.onnx.diffusion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model folders are {@link BadInputException}s that name the file and the field. */
class OnnxDiffusionBadFolderTest {
  private static final Path UNET = OnnxDiffusionModelTest.UNET;
  private static final Path FLAT = OnnxDiffusionModelTest.FLAT;
  private static final Path BAD = Path.of("fixtures", "gaussian-unet-bad");

  @TempDir
  Path dir;

  /** A flat folder with the fixture's model and the given scheduler_config.json text (null: none). */
  private Path flatFolder(String name, Path model, String config) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    if (model != null) {
      Files.copy(model, folder.resolve("model.onnx"));
    }
    if (config != null) {
      Files.writeString(folder.resolve("scheduler_config.json"), config);
    }
    return folder;
  }

  private static String goodConfig() throws IOException {
    return Files.readString(FLAT.resolve("scheduler_config.json"));
  }

  @Test
  void aMissingFolderOrModelFileOrSchedulerConfig() throws IOException {
    assertThatThrownBy(() -> OnnxDiffusionModel.load(dir.resolve("nowhere")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("model folder").hasMessageContaining("nowhere");
    Path noModel = flatFolder("no-model", null, goodConfig());
    assertThatThrownBy(() -> OnnxDiffusionModel.load(noModel))
        .isInstanceOf(BadInputException.class).hasMessageContaining("model file").hasMessageContaining(noModel.toString())
        .hasMessageContaining("unet/model.onnx").hasMessageContaining("model.onnx");
    Path noConfig = Files.createDirectories(dir.resolve("no-config"));
    Files.copy(FLAT.resolve("model.onnx"), noConfig.resolve("model.onnx"));
    assertThatThrownBy(() -> OnnxDiffusionModel.load(noConfig))
        .isInstanceOf(BadInputException.class).hasMessageContaining("scheduler config")
        .hasMessageContaining("scheduler/scheduler_config.json").hasMessageContaining(noConfig.toString());
  }

  @Test
  void aBrokenModelFile() throws IOException {
    Path folder = flatFolder("broken", null, goodConfig());
    Files.writeString(folder.resolve("model.onnx"), "not onnx");
    assertThatThrownBy(() -> OnnxDiffusionModel.load(folder))
        .isInstanceOf(BadInputException.class).hasMessageContaining("model.onnx").hasMessageContaining("cannot load");
  }

  @Test
  void malformedJson() throws IOException {
    Path folder = flatFolder("malformed", FLAT.resolve("model.onnx"), "{\"num_train_timesteps\": 1000,\n \"beta_schedule\": }");
    assertThatThrownBy(() -> OnnxDiffusionModel.load(folder))
        .isInstanceOf(BadInputException.class).hasMessageContaining("scheduler_config.json")
        .hasMessageContaining("malformed JSON at line 2");
    Path array = flatFolder("array", FLAT.resolve("model.onnx"), "[1, 2]");
    assertThatThrownBy(() -> OnnxDiffusionModel.load(array))
        .isInstanceOf(BadInputException.class).hasMessageContaining("scheduler_config.json").hasMessageContaining("a JSON object");
  }

  @Test
  void fieldsFewstepCannotMapNameTheFileAndField() throws IOException {
    String good = goodConfig();
    String[][] cases = {
        {"\"v_prediction\"", "\"flow\"", "prediction_type = flow", "epsilon, v_prediction or sample"},
        {"\"linear\"", "\"sigmoid\"", "beta_schedule = sigmoid", "scaled_linear"},
        {"\"trailing\"", "\"uniform\"", "timestep_spacing = uniform", "leading"},
        {"\"num_train_timesteps\": 1000", "\"num_train_timesteps\": 1.5", "num_train_timesteps = 1.5", "an integer"},
        {"\"beta_end\": 0.02", "\"beta_end\": \"high\"", "beta_end = \"high\"", "a finite number"},
        {"\"steps_offset\": 0", "\"steps_offset\": 0, \"rescale_betas_zero_snr\": true", "rescale_betas_zero_snr", "zero terminal SNR"},
        {"\"steps_offset\": 0", "\"steps_offset\": 0, \"variance_type\": \"learned_range\"", "variance_type = learned_range", "extra channels"},
        {"\"EulerDiscreteScheduler\"", "\"FlowMatchEulerDiscreteScheduler\"", "_class_name", "vp-discrete"},
        {"\"steps_offset\": 0", "\"steps_offset\": 0, \"trained_betas\": [0.1, 0.2]", "trained_betas = 2 betas", "1000"},
        {"\"beta_end\": 0.02", "\"beta_end\": 1.5", "beta-end", "scheduler_config.json"},
    };
    int i = 0;
    for (String[] c : cases) {
      Path folder = flatFolder("case" + i++, FLAT.resolve("model.onnx"), good.replace(c[0], c[1]));
      Path config = folder.resolve("scheduler_config.json");
      assertThatThrownBy(() -> OnnxDiffusionModel.load(folder)).as(c[1])
          .isInstanceOf(BadInputException.class).hasMessageContaining(config.toString())
          .hasMessageContaining(c[2]).hasMessageContaining(c[3]);
    }
  }

  @Test
  void aModelWithoutSampleOrWithTheWrongRank() throws IOException {
    Path none = flatFolder("no-sample", BAD.resolve("no-sample/model.onnx"), goodConfig());
    assertThatThrownBy(() -> OnnxDiffusionModel.load(none))
        .isInstanceOf(BadInputException.class).hasMessageContaining(none.resolve("model.onnx").toString())
        .hasMessageContaining("input sample = missing").hasMessageContaining("latent");
    Path rank1 = flatFolder("rank1", BAD.resolve("rank1/model.onnx"), goodConfig());
    assertThatThrownBy(() -> OnnxDiffusionModel.load(rank1))
        .isInstanceOf(BadInputException.class).hasMessageContaining(rank1.resolve("model.onnx").toString())
        .hasMessageContaining("input sample").hasMessageContaining("at least 2 dimensions");
  }

  @Test
  void symbolicSampleDimsNeedAConfigOrAnItemShape() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("p/unet"));
    Files.copy(UNET.resolve("unet/model.onnx"), folder.resolve("model.onnx"));
    Files.createDirectories(dir.resolve("p/scheduler"));
    Files.copy(UNET.resolve("scheduler/scheduler_config.json"), dir.resolve("p/scheduler/scheduler_config.json"));
    OnnxDiffusionModel.Input input = OnnxDiffusionModel.Input.npy("encoder_hidden_states", UNET.resolve("conditions.npy"), null);
    OnnxDiffusionModel.Options options = OnnxDiffusionModel.Options.DEFAULT.withInput(input);
    assertThatThrownBy(() -> OnnxDiffusionModel.load(dir.resolve("p"), options))
        .isInstanceOf(BadInputException.class).hasMessageContaining("input sample dim 2 (height)").hasMessageContaining("symbolic")
        .hasMessageContaining("config.json");
    try (OnnxDiffusionModel m = OnnxDiffusionModel.load(dir.resolve("p"), options.withItemShape(2, 4, 4))) {
      org.assertj.core.api.Assertions.assertThat(m.itemShape()).containsExactly(2, 4, 4);
    }
    assertThatThrownBy(() -> OnnxDiffusionModel.load(dir.resolve("p"), options.withItemShape(3, 4, 4)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("item shape = [3, 4, 4]");
  }

  @Test
  void conditioningInputsAreChecked() {
    assertThatThrownBy(() -> OnnxDiffusionModel.load(UNET))
        .isInstanceOf(BadInputException.class).hasMessageContaining("input encoder_hidden_states = no values given")
        .hasMessageContaining("unet/model.onnx");
    NdArray wrongWidth = NdArray.zeros(2, 3, 5);
    assertThatThrownBy(() -> OnnxDiffusionModel.load(UNET, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("encoder_hidden_states", wrongWidth, null))))
        .isInstanceOf(BadInputException.class).hasMessageContaining("conditions of encoder_hidden_states = [2, 3, 5]")
        .hasMessageContaining("[-1, -1, 4]");
    NdArray conditions = Npy.read(UNET.resolve("conditions.npy"));
    assertThatThrownBy(() -> OnnxDiffusionModel.load(UNET, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("encoder_hidden_states", conditions, NdArray.zeros(2, 4)))))
        .isInstanceOf(BadInputException.class).hasMessageContaining("unconditional row of encoder_hidden_states = [2, 4]")
        .hasMessageContaining("[3, 4]");
    assertThatThrownBy(() -> OnnxDiffusionModel.load(FLAT, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("text_embeds", conditions, null))))
        .isInstanceOf(BadInputException.class).hasMessageContaining("conditioning input = text_embeds")
        .hasMessageContaining("[sample, timestep]");
    try (OnnxDiffusionModel m = OnnxDiffusionModel.load(UNET, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("encoder_hidden_states", conditions, null)))) {
      assertThatThrownBy(() -> Denoiser.guided(m, Conditioning.labels(0, 2), 2.0))
          .isInstanceOf(BadInputException.class).hasMessageContaining("label[1] = 2");
    }
  }
}
