package org.fewstep.text.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.fewstep.text.token.Tokenizers;

/**
 * The King James Bible (public domain), 31,102 verses, as bundled from the Debian package
 * bible-kjv 4.38 ({@code bible -f "gen1:1-rev22:21"}), and n-gram models trained on it over cl100k.
 * A model is trained once and then read from the cache directory: the system property
 * {@code fewstep.cache}, else the environment variable {@code FEWSTEP_CACHE}, else
 * {@code ~/.cache/fewstep} (blank values count as unset).
 */
public final class Kjv {
  private static final String RESOURCE = "kjv.txt.gz";
  /** A line is a reference such as {@code Ge1:1} or {@code 1Chr3:4}, one space, and the verse. */
  private static final Pattern LINE = Pattern.compile("[1-3]?[A-Za-z]+[0-9]+:[0-9]+ (.+)");
  private static final String TOKENIZER = "cl100k";

  private Kjv() {}

  /** The verses in canonical order, without their references. */
  public static List<String> verses() {
    return Corpus.VERSES;
  }

  /**
   * The model of {@code order} over cl100k: read from the cache when it is there, else trained and
   * written there (atomically). The cache file name holds the corpus hash, the tokenizer, the
   * order, the discount and the file-format version.
   */
  public static NGramModel model(int order, Discount discount) {
    NGramModel.requireOrder(order);
    Path file = cacheDirectory().resolve(cacheName(order, discount));
    NGramModel model;
    if (Files.isRegularFile(file)) {
      model = NGramModel.load(file);
    } else {
      model = NGramModel.train(Tokenizers.bpe(TOKENIZER), verses(), order, discount);
      model.save(file);
    }
    return model.named("kjv-" + order + "gram");
  }

  /** The name of the cache file of a model. */
  static String cacheName(int order, Discount discount) {
    return "kjv-" + Corpus.HASH + "-" + TOKENIZER + "-" + order + "gram-" + discount
        + "-v" + NGramFile.VERSION + ".ngram.gz";
  }

  /** Where trained models are kept (see the class comment). */
  public static Path cacheDirectory() {
    String property = System.getProperty("fewstep.cache");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv("FEWSTEP_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "fewstep");
  }

  /** The bundled text, read once: the verses and a hash of the whole text. */
  private static final class Corpus {
    static final List<String> VERSES;
    static final String HASH;

    static {
      List<String> verses = new ArrayList<>(31_102);
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
      }
      try (InputStream raw = Kjv.class.getResourceAsStream(RESOURCE)) {
        if (raw == null) {
          throw new IllegalStateException("resource " + RESOURCE + " is missing from fewstep-text");
        }
        BufferedReader in =
            new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
          var m = LINE.matcher(line);
          if (!m.matches()) {
            throw new IllegalStateException(RESOURCE + " line " + number + " is not 'reference verse': " + line);
          }
          verses.add(m.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
      }
      VERSES = List.copyOf(verses);
      HASH = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }
  }
}
