package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.token.CharTokenizer;
import org.fewstep.text.token.Tokenizers;
import org.fewstep.text.token.WordTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model file: exact round trips, deterministic bytes, and a clear error for every malformation. */
class NGramFileTest {
  @TempDir
  Path dir;

  private static final List<String> LINES = Kjv.verses().subList(100, 220);

  @ParameterizedTest
  @ValueSource(strings = {"word", "char", "cl100k"})
  void saveThenLoadGivesTheSameModelAndTheSameBytes(String kind) throws IOException {
    Tokenizer t = switch (kind) {
      case "word" -> WordTokenizer.fromCorpus(LINES, 2);
      case "char" -> CharTokenizer.fromCorpus(LINES);
      default -> Tokenizers.bpe(kind);
    };
    Discount discount = kind.equals("char") ? Discount.fixed(0.625) : Discount.modified();
    NGramModel model = NGramModel.train(t, LINES, 3, discount);
    Path first = dir.resolve("first.ngram.gz");
    model.save(first);
    NGramModel loaded = NGramModel.load(first);
    assertThat(loaded.order()).isEqualTo(3);
    assertThat(loaded.discount()).isEqualTo(discount);
    assertThat(loaded.tokenizer().name()).isEqualTo(kind);
    assertThat(loaded.vocabulary().sameAs(model.vocabulary())).isTrue();
    Rng rng = new Rng(3);
    for (int i = 0; i < 10; i++) {
      int[] ids = t.encode(LINES.get(rng.nextInt(LINES.size())));
      int[] context = Arrays.copyOf(ids, rng.nextInt(ids.length + 1));
      assertThat(loaded.start().append(context)[context.length])
          .isEqualTo(model.start().append(context)[context.length]);
    }
    Path second = dir.resolve("second.ngram.gz");
    loaded.save(second);
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    Path retrained = dir.resolve("retrained.ngram.gz");
    NGramModel.train(t, LINES, 3, discount).save(retrained);
    assertThat(Files.readAllBytes(retrained)).isEqualTo(Files.readAllBytes(first));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  /**
   * Trigram over cl100k of two lines; its file, unzipped, is: magic @0, version @4, name length @8,
   * "cl100k" @12, token count @18, vocabulary size @22, order @26, discount kind @30, n-gram count @31,
   * then 16-byte rows x1 x2 x3 count from @35. Rows sort by x2, x1, x3 (the context from its most
   * recent token back, then the last token): row 1 is BOS BOS "hello" (count 2), row 2 is "hello"
   * " there" EOS, since " there" (1070) sorts before " world" (1917) and "hello" (15339).
   */
  private byte[] validBytes() throws IOException {
    NGramModel m = NGramModel.train(Tokenizers.bpe("cl100k"), List.of("hello world", "hello there"), 3, Discount.modified());
    Path file = dir.resolve("valid.ngram.gz");
    m.save(file);
    try (var in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  private Path corrupt(Consumer<ByteBuffer> edit) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(validBytes());
    edit.accept(bytes);
    return gzip(bytes.array());
  }

  private Path gzip(byte[] bytes) throws IOException {
    Path file = dir.resolve("bad.ngram.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(bytes);
    }
    return file;
  }

  private static void assertBad(Path file, String message) {
    assertThatThrownBy(() -> NGramModel.load(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("n-gram file " + file)
        .hasMessageContaining(message);
  }

  @Test
  void theValidFileHasTheDocumentedLayout() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(validBytes());
    assertThat(b.getInt(0)).isEqualTo(0x46534E47);
    assertThat(b.getInt(4)).isEqualTo(1);
    assertThat(b.getInt(8)).isEqualTo(6);
    assertThat(new String(b.array(), 12, 6, StandardCharsets.US_ASCII)).isEqualTo("cl100k");
    assertThat(b.getInt(18)).isZero();
    assertThat(b.getInt(22)).isEqualTo(100277);
    assertThat(b.getInt(26)).isEqualTo(3);
    assertThat(b.get(30)).isEqualTo((byte) 0);
    int hello = Tokenizers.bpe("cl100k").encode("hello")[0];
    assertThat(b.getInt(31)).isEqualTo(5);
    assertThat(new int[] {b.getInt(35), b.getInt(39), b.getInt(43), b.getInt(47)}).containsExactly(-1, -1, hello, 2);
    assertThat(new int[] {b.getInt(51), b.getInt(55), b.getInt(59), b.getInt(63)}).containsExactly(hello, 1070, 100257, 1);
    assertThat(b.capacity()).isEqualTo(35 + 5 * 16);
  }

  @Test
  void malformedHeadersAreNamed() throws IOException {
    assertBad(corrupt(b -> b.putInt(0, 0x504B0304)), "magic = 0x504B0304: expected 0x46534E47 (\"FSNG\"): this is not a fewstep n-gram file");
    assertBad(corrupt(b -> b.putInt(4, 2)), "version = 2: expected 1");
    assertBad(corrupt(b -> b.put(12, (byte) 'x')), "unknown tokenizer 'xl100k' (did you mean 'cl100k'?)");
    assertBad(corrupt(b -> b.putInt(22, 50257)), "vocabulary size = 50257: expected 100277, the size of the cl100k tokenizer");
    assertBad(corrupt(b -> b.putInt(26, 7)), "order = 7: expected an integer in [1, 6]");
    assertBad(corrupt(b -> b.put(30, (byte) 5)), "discount kind = 5: expected 0 (modified) or 1 (fixed)");
    assertBad(corrupt(b -> b.putInt(31, 0)), "n-gram count = 0: expected at least 1");
    assertBad(corrupt(b -> b.putInt(8, -4)), "tokenizer name length = -4");
  }

  @Test
  void malformedNGramsAreNamedWithTheirRow() throws IOException {
    int hello = Tokenizers.bpe("cl100k").encode("hello")[0];
    assertBad(corrupt(b -> b.putInt(43, 100256)), "n-gram 1 [-1, -1, 100256]: last token = 100256: expected a used token id");
    assertBad(corrupt(b -> b.putInt(47, 0)), "n-gram 1 [-1, -1, " + hello + "]: count = 0: expected a count >= 1");
    assertBad(corrupt(b -> b.putInt(55, -1)), "n-gram 2 [" + hello + ", -1, 100257]: "
        + "token 2 = -1: expected a used token id other than EOS, or BOS (-1) before the first token");
    assertBad(corrupt(b -> b.putInt(55, 100257)), "token 2 = 100257: expected a used token id other than EOS");
    assertBad(corrupt(b -> {
      byte[] row1 = Arrays.copyOfRange(b.array(), 35, 51);
      System.arraycopy(b.array(), 51, b.array(), 35, 16);
      System.arraycopy(row1, 0, b.array(), 51, 16);
    }), "n-gram 2 [-1, -1, " + hello + "]: expected the n-grams in strictly increasing order");
  }

  @Test
  void truncatedTrailingAndForeignFilesAreNamed() throws IOException {
    byte[] valid = validBytes();
    assertBad(gzip(Arrays.copyOf(valid, valid.length - 5)), "is truncated");
    assertBad(gzip(Arrays.copyOf(valid, 20)), "is truncated");
    assertBad(gzip(Arrays.copyOf(valid, valid.length + 3)), "unexpected data after the 5 n-grams");
    Path zipped = dir.resolve("cut.ngram.gz");
    byte[] gz = Files.readAllBytes(dir.resolve("valid.ngram.gz"));
    Files.write(zipped, Arrays.copyOf(gz, gz.length / 2));
    assertBad(zipped, "is truncated");
    Path text = dir.resolve("text.ngram.gz");
    Files.writeString(text, "hello");
    assertBad(text, "is not gzip-compressed or is corrupt");
    assertBad(dir.resolve("missing.ngram.gz"), "does not exist");
    Path raw = dir.resolve("raw.ngram");
    Files.write(raw, valid);
    assertBad(raw, "is not gzip-compressed");
  }
}
