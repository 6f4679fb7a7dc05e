package org.fewstep.data.embed;

import java.util.ServiceLoader;
import org.fewstep.core.BadInputException;

/**
 * The standard sentence-embedding model: the first {@link Embedder} service on the class path. fewstep-onnx
 * provides all-minilm-l6-v2 ({@code org.fewstep.onnx.embed.MiniLm}), so fewstep-data stays plain Java and the
 * command line (which has both) embeds with it.
 */
public final class Embedders {
  private Embedders() {}

  /** A new instance of the standard embedder; an error if no module on the class path provides one. */
  public static Embedder standard() {
    return ServiceLoader.load(Embedder.class).findFirst().orElseThrow(() -> BadInputException.of("embedding model", "none",
        "an Embedder service on the class path (fewstep-onnx provides all-minilm-l6-v2); or pass an Embedder"));
  }
}
