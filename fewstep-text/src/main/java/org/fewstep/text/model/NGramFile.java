package org.fewstep.text.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;

/**
 * The n-gram model file (docs/ngram-format.md): gzip'd big-endian binary holding the tokenizer,
 * the order, the discount and the highest-order n-grams with their counts. The lower orders are not
 * stored: reading rebuilds the model from these counts with the same code as training.
 */
final class NGramFile {
  static final int MAGIC = 0x46534E47; // "FSNG"
  static final int VERSION = 1;
  private static final int MAX_STRING_BYTES = 1 << 20;

  private NGramFile() {}

  static void write(NGramModel model, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve(
        file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          new GZIPOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 16), 1 << 16))) {
        writeModel(model, out);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write n-gram file " + file, e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot write n-gram file " + file, e.getCause());
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the temporary file stays behind; the model file itself is complete or absent
      }
    }
  }

  private static void writeModel(NGramModel model, DataOutputStream out) throws IOException {
    KneserNeyTrie trie = model.trie();
    int order = trie.order;
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    writeString(out, model.tokenizer().name());
    List<String> tokens = Tokenizers.tokens(model.tokenizer());
    out.writeInt(tokens.size());
    for (String t : tokens) {
      writeString(out, t);
    }
    out.writeInt(model.vocabulary().size());
    out.writeInt(order);
    if (model.discount() instanceof Discount.Fixed fixed) {
      out.writeByte(1);
      out.writeDouble(fixed.value());
    } else {
      out.writeByte(0);
    }
    int[] rows = {0};
    trie.forEachGram((key, count) -> rows[0]++);
    out.writeInt(rows[0]);
    trie.forEachGram((key, count) -> {
      try {
        for (int j = order - 2; j >= 0; j--) {
          out.writeInt(key[j]);
        }
        out.writeInt(key[order - 1]);
        out.writeInt(count);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static NGramModel read(Path file) {
    try (InputStream raw = Files.newInputStream(file)) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
      return read(in, file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("n-gram file " + file + " does not exist");
    } catch (ZipException e) {
      throw new BadInputException(
          "n-gram file " + file + " is not gzip-compressed or is corrupt (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new BadInputException("n-gram file " + file + " is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read n-gram file " + file, e);
    }
  }

  private static NGramModel read(DataInputStream in, Path file) throws IOException {
    String where = "n-gram file " + file;
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw BadInputException.of(where + ": magic", String.format("0x%08X", magic),
          String.format("0x%08X (\"FSNG\"): this is not a fewstep n-gram file", MAGIC));
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw BadInputException.of(where + ": version", version, String.valueOf(VERSION));
    }
    String name = readString(in, where + ": tokenizer name");
    int tokenCount = in.readInt();
    if (tokenCount < 0) {
      throw BadInputException.of(where + ": token count", tokenCount, "a count >= 0");
    }
    List<String> tokens = new ArrayList<>(Math.min(tokenCount, 1 << 16));
    for (int i = 0; i < tokenCount; i++) {
      tokens.add(readString(in, where + ": token " + (i + 1)));
    }
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizers.restore(name, tokens);
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
    Vocabulary vocabulary = tokenizer.vocabulary();
    int size = in.readInt();
    if (size != vocabulary.size()) {
      throw BadInputException.of(where + ": vocabulary size", size,
          vocabulary.size() + ", the size of the " + name + " tokenizer");
    }
    int order = in.readInt();
    if (order < 1 || order > NGramModel.MAX_ORDER) {
      throw BadInputException.of(where + ": order", order, "an integer in [1, " + NGramModel.MAX_ORDER + "]");
    }
    Discount discount;
    int kind = in.readByte();
    if (kind == 0) {
      discount = Discount.modified();
    } else if (kind == 1) {
      double value = in.readDouble();
      if (!(value > 0 && value < 1)) {
        throw BadInputException.of(where + ": fixed discount", value, "a number in (0, 1)");
      }
      discount = Discount.fixed(value);
    } else {
      throw BadInputException.of(where + ": discount kind", kind, "0 (modified) or 1 (fixed)");
    }
    int rows = in.readInt();
    if (rows < 1 || (long) rows * order > Integer.MAX_VALUE - 8) {
      throw BadInputException.of(where + ": n-gram count", rows,
          "at least 1 and fewer than " + (Integer.MAX_VALUE / order));
    }
    int[] keys = new int[Math.min(rows, 1 << 16) * order];
    int[] counts = new int[Math.min(rows, 1 << 16)];
    int[] tokensOfRow = new int[order];
    for (int r = 0; r < rows; r++) {
      if (r == counts.length) {
        counts = Arrays.copyOf(counts, (int) Math.min(rows, 2L * r));
        keys = Arrays.copyOf(keys, counts.length * order);
      }
      for (int j = 0; j < order; j++) {
        tokensOfRow[j] = in.readInt();
      }
      int count = in.readInt();
      String row = where + ", n-gram " + (r + 1) + " " + Arrays.toString(tokensOfRow);
      checkRow(tokensOfRow, count, vocabulary, row);
      for (int j = 0; j < order - 1; j++) {
        keys[r * order + j] = tokensOfRow[order - 2 - j];
      }
      keys[r * order + order - 1] = tokensOfRow[order - 1];
      counts[r] = count;
      if (r > 0 && Arrays.compare(keys, (r - 1) * order, r * order, keys, r * order, r * order + order) >= 0) {
        throw new BadInputException(row + ": expected the n-grams in strictly increasing order of their context read"
            + " from the last token back, then of their last token");
      }
    }
    if (in.read() != -1) {
      throw new BadInputException(where + ": unexpected data after the " + rows + " n-grams");
    }
    KneserNeyTrie trie = new KneserNeyTrie(order, keys, counts, rows, vocabulary, discount);
    return new NGramModel("ngram" + order + ":" + file.getFileName(), tokenizer, discount, trie);
  }

  /**
   * Checks one n-gram x1..xn of the file: xn is a used id; the context x1..x(n-1) is a run of BOS
   * (-1) followed by used ids other than EOS; the count is positive.
   */
  private static void checkRow(int[] tokens, int count, Vocabulary vocabulary, String row) {
    int n = tokens.length;
    if (!vocabulary.isUsed(tokens[n - 1])) {
      throw new BadInputException(
          row + ": last token = " + tokens[n - 1] + ": expected a used token id of the vocabulary");
    }
    boolean started = false;
    for (int j = 0; j < n - 1; j++) {
      int t = tokens[j];
      if (t == KneserNeyTrie.BOS && !started) {
        continue;
      }
      started = true;
      if (!vocabulary.isUsed(t) || t == vocabulary.eos()) {
        throw new BadInputException(row + ": token " + (j + 1) + " = " + t
            + ": expected a used token id other than EOS, or BOS (-1) before the first token");
      }
    }
    if (count < 1) {
      throw new BadInputException(row + ": count = " + count + ": expected a count >= 1");
    }
  }

  private static String readString(DataInputStream in, String what) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw BadInputException.of(what + " length", length, "a byte count in [0, " + MAX_STRING_BYTES + "]");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
