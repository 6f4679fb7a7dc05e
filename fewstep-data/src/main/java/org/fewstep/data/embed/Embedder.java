package org.fewstep.data.embed;

import java.util.List;

/**
 * A sentence-embedding model: texts to unit-length vectors whose dot products are cosine
 * similarities. MIG embeds its labels with one, Add-One-In's embedding chooser its examples.
 */
public interface Embedder {

  /** A short name for reports, e.g. {@code all-minilm-l6-v2}. */
  String name();

  /** The length of every embedding. */
  int dimension();

  /** One L2-normalised embedding per text, in order. */
  double[][] embed(List<String> texts);
}
