package org.fewstep.data.select;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.data.embed.Embedder;

/**
 * Semantic tags for MIG from a sentence-embedding model instead of an LLM tagger. MIG's paper tags every
 * sample with InsTag (an LLM that names the sample's fine-grained intentions and topics, filtered to a fixed
 * list of valid tags); here the list is a fixed vocabulary of short topic tags and an item gets the {@code k}
 * tags whose embedding has the highest cosine to the item's embedding. It imitates InsTag's output (several
 * semantic tags per item from a shared, redundant vocabulary) with no generative model.
 *
 * <p>A fixed {@code k} rather than a cosine threshold: MIG puts the item's full quality on each of its labels
 * (norm off, the reference's default), so an item with more tags carries more mass and is preferred; a fixed
 * count keeps items comparable, and cosines of short tags to long texts are low and vary with text length, so
 * one threshold would tag some items heavily and others not at all. Ties go to the earlier vocabulary entry.
 * Tags already among an item's labels are skipped, so every item gets exactly {@code k} new labels.
 */
public final class EmbeddingTagger {
  /** Resource holding {@link #topics()}. */
  public static final String TOPICS_RESOURCE = "/org/fewstep/data/tags/topics.txt";

  private final List<String> vocabulary;
  private final double[][] tagEmbeddings;
  private final int k;

  private EmbeddingTagger(List<String> vocabulary, double[][] tagEmbeddings, int k) {
    this.vocabulary = vocabulary;
    this.tagEmbeddings = tagEmbeddings;
    this.k = k;
  }

  /**
   * fewstep's bundled topic vocabulary (about 180 short tags written for the fortune experiment, some of them
   * near-synonyms on purpose, none equal to a fortune category name).
   */
  public static List<String> topics() {
    try (InputStream in = EmbeddingTagger.class.getResourceAsStream(TOPICS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + TOPICS_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tagger giving {@code k} tags of {@code vocabulary}, embedded once by {@code embedder}. */
  public static EmbeddingTagger create(List<String> vocabulary, Embedder embedder, int k) {
    Objects.requireNonNull(embedder, "embedder");
    if (vocabulary == null || vocabulary.isEmpty() || vocabulary.stream().distinct().count() != vocabulary.size()) {
      throw BadInputException.of("vocabulary", vocabulary, "a non-empty list of distinct tags");
    }
    BadInputException.requireAtLeast("k", k, 1);
    if (k > vocabulary.size()) {
      throw BadInputException.of("k", k, "at most the vocabulary's " + vocabulary.size() + " tags");
    }
    double[][] e = embedder.embed(vocabulary);
    if (e.length != vocabulary.size()) {
      throw BadInputException.of("embeddings from " + embedder.name(), e.length + " vectors", vocabulary.size() + " (one per tag)");
    }
    return new EmbeddingTagger(List.copyOf(vocabulary), e, k);
  }

  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The tags' unit embeddings, in vocabulary order (a copy). */
  public double[][] tagEmbeddings() {
    return Arrays.stream(tagEmbeddings).map(double[]::clone).toArray(double[][]::new);
  }

  public int k() {
    return k;
  }

  /** The {@code k} tags nearest to {@code embedding} that are not in {@code exclude}, most similar first. */
  public List<String> tags(double[] embedding, List<String> exclude) {
    double[] cos = new double[vocabulary.size()];
    for (int t = 0; t < cos.length; t++) {
      if (tagEmbeddings[t].length != embedding.length) {
        throw BadInputException.of("embedding length", embedding.length, tagEmbeddings[t].length + " (the tags')");
      }
      for (int d = 0; d < embedding.length; d++) {
        cos[t] += embedding[d] * tagEmbeddings[t][d];
      }
    }
    boolean[] used = new boolean[cos.length];
    List<String> out = new ArrayList<>(k);
    while (out.size() < k) {
      int best = -1;
      for (int t = 0; t < cos.length; t++) {
        if (!used[t] && !exclude.contains(vocabulary.get(t)) && (best < 0 || cos[t] > cos[best])) {
          best = t;
        }
      }
      if (best < 0) {
        throw BadInputException.of("excluded labels", exclude, "fewer than vocabulary size - k of the vocabulary's tags");
      }
      used[best] = true;
      out.add(vocabulary.get(best));
    }
    return out;
  }

  /**
   * {@code items} with their labels followed by their {@code k} tags; {@code embeddings[i]} is item i's unit
   * embedding by the same model as the tags'.
   */
  public List<Example> tag(List<Example> items, double[][] embeddings) {
    if (items.size() != embeddings.length) {
      throw BadInputException.of("embeddings", embeddings.length + " vectors", items.size() + " (one per item)");
    }
    List<Example> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Example e = items.get(i);
      List<String> labels = new ArrayList<>(e.labels());
      labels.addAll(tags(embeddings[i], e.labels()));
      out.add(new Example(e.id(), e.text(), labels, e.quality()));
    }
    return out;
  }
}
