package org.fewstep.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxSessionTest {
  @TempDir
  Path dir;

  @Test
  void aMissingOrBrokenModelFileIsAClearError() throws Exception {
    assertThatThrownBy(() -> OnnxSession.open(dir.resolve("none.onnx"), OnnxSession.Options.DEFAULT))
        .isInstanceOf(BadInputException.class).hasMessageContaining("none.onnx").hasMessageContaining("an existing ONNX file");
    Path broken = dir.resolve("broken.onnx");
    Files.writeString(broken, "not a model");
    assertThatThrownBy(() -> OnnxSession.open(broken, OnnxSession.Options.DEFAULT))
        .isInstanceOf(BadInputException.class).hasMessageContaining("broken.onnx").hasMessageContaining("cannot load");
    assertThatThrownBy(() -> new OnnxSession.Options(-1, false, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("threads");
  }

  @Test
  void cudaWithoutTheGpuBuildIsAClearError() {
    // the default build carries the CPU provider only (./mvnw -Pgpu selects onnxruntime_gpu)
    org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
        .contains(ai.onnxruntime.OrtProvider.CUDA), "this build has the CUDA provider");
    assertThatThrownBy(() -> OnnxSession.open(Path.of("fixtures", "toy-masked-lm", "model.onnx"), new OnnxSession.Options(1, true, 0)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("cuda").hasMessageContaining("-Pgpu");
  }
}
