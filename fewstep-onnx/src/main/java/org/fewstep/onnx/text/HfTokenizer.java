package org.fewstep.onnx.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * A Hugging Face {@code tokenizer.json} as a fewstep {@link Tokenizer}: encoding runs DJL's binding of
 * the Rust {@code tokenizers} library (offline: the native library ships inside DJL's jar, and
 * {@code ai.djl.offline} is set to {@code true} unless the caller set it; backends-and-ecosystem.md 4),
 * and the {@link Vocabulary} (each id's bytes) is read from the file itself.
 *
 * <p>Three kinds of token text are understood, chosen from the file's decoder, pre-tokenizer and model:
 * <ul>
 *   <li>byte-level BPE (GPT-2, Llama 3, Qwen 2, Phi): a {@code ByteLevel} decoder or pre-tokenizer; each
 *       character of a token stands for one byte through GPT-2's byte-to-unicode table;
 *   <li>SentencePiece style (Llama 2, Mistral, Gemma): a {@code Metaspace} decoder or pre-tokenizer, a
 *       {@code Replace} of {@code ▁}, or {@code byte_fallback}: {@code ▁} is a space and {@code <0xNN>}
 *       the byte NN;
 *   <li>plain text (char-level and WordLevel files with a {@code Fuse} or no decoder): the token's text as
 *       UTF-8.
 * </ul>
 * WordPiece (BERT), CTC and end-of-word-suffix BPE decoders are refused with a clear error: their
 * tokens have no byte strings that concatenate to the text. Added tokens are their content as UTF-8;
 * those marked {@code special} are flagged in the vocabulary.
 *
 * <p>{@link #encode} adds no special tokens (no BOS), encodes special-token text as ordinary text
 * (the text is split inside it, so that the tokenizer cannot match it), and for byte-level and plain
 * files checks that the ids decode back to the text: text the vocabulary cannot spell (a character
 * outside a char-level vocabulary) is a clear error rather than silently dropped.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

  /** How a token's text maps to bytes. */
  public enum Kind {
    BYTE_LEVEL, SENTENCEPIECE, TEXT
  }

  static {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final Vocabulary vocabulary;
  private final Kind kind;
  private final List<String> specials;
  private final int unk;

  private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, Kind kind,
      List<String> specials, int unk) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.vocabulary = vocabulary;
    this.kind = kind;
    this.specials = specials;
    this.unk = unk;
  }

  /** Loads {@code file} with as many ids as it defines and no end token. */
  public static HfTokenizer load(Path file) {
    return load(file, 0, -1);
  }

  /**
   * Loads {@code file}.
   *
   * @param size the vocabulary size (a model's logit count, which may exceed the tokenizer's ids: the
   *             rest are unused ids); 0 for the tokenizer's own size. Special added tokens at or past
   *             it (a masked LM's mask token, which the model reads but does not score) are left out
   *             of the vocabulary; any other token there is an error
   * @param eos  the end-of-sequence id, or -1
   */
  public static HfTokenizer load(Path file, int size, int eos) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of("tokenizer file", file, "an existing tokenizer.json (Hugging Face tokenizers format)");
    }
    JsonNode root = Json.read(file);
    String where = file.toString();
    JsonNode model = Json.field(root, "model", where);
    Kind kind = kind(root, model, where);
    List<String> texts = new ArrayList<>();
    List<Boolean> special = new ArrayList<>();
    readModelVocab(model, where, texts, special);
    List<String> specials = new ArrayList<>();
    JsonNode added = root.get("added_tokens");
    java.util.Set<Integer> addedIds = new java.util.HashSet<>();
    if (added != null && !added.isNull()) {
      if (!added.isArray()) {
        throw BadInputException.of(where + ": added_tokens", added.getNodeType(), "an array of {id, content, special}");
      }
      for (int i = 0; i < added.size(); i++) {
        JsonNode t = added.get(i);
        String at = where + ": added_tokens[" + i + "]";
        int id = id(Json.field(t, "id", at), at + ".id");
        String content = Json.text(Json.field(t, "content", at), at + ".content");
        boolean isSpecial = t.path("special").asBoolean(false);
        set(texts, special, id, content, isSpecial);
        addedIds.add(id);
        if (isSpecial) {
          specials.add(content);
        }
      }
    }
    int n = size > 0 ? size : texts.size();
    for (int id = n; id < texts.size(); id++) {
      if (texts.get(id) != null && !special.get(id)) {
        throw BadInputException.of(where + ": token id", id + " ('" + texts.get(id) + "')", "an id below " + size
            + " (the model scores " + size + " tokens; only special added tokens, such as a mask, may lie past them)");
      }
    }
    byte[][] bytes = new byte[n][];
    boolean[] flags = new boolean[n];
    for (int id = 0; id < Math.min(n, texts.size()); id++) {
      String text = texts.get(id);
      if (text == null) {
        continue;
      }
      boolean isAdded = addedIds.contains(id);
      bytes[id] = isAdded ? text.getBytes(StandardCharsets.UTF_8) : bytesOf(kind, text, where, id);
      flags[id] = special.get(id);
    }
    if (eos >= 0 && (eos >= n || bytes[eos] == null)) {
      throw BadInputException.of("end-of-sequence id", eos, "an id that " + file + " defines (below " + texts.size() + ")");
    }
    Vocabulary vocabulary = new Vocabulary(bytes, flags, eos);
    JsonNode unkNode = model.get("unk_token");
    int unk = -1;
    if (unkNode != null && unkNode.isTextual()) {
      unk = texts.indexOf(unkNode.asText());
    } else if (unkNode != null && unkNode.isInt()) { // Unigram: unk_id
      unk = unkNode.asInt();
    }
    if (model.has("unk_id") && model.get("unk_id").isInt()) {
      unk = model.get("unk_id").asInt();
    }
    HuggingFaceTokenizer hf;
    try {
      hf = HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("tokenizer file " + file + ": the tokenizers library cannot load it (" + e.getMessage() + ")", e);
    }
    HfTokenizer out = new HfTokenizer(file, hf, vocabulary, kind, List.copyOf(specials), unk);
    for (int id : addedIds) { // the library renumbers added tokens that model.vocab lacks: refuse that
      String back = out.decodeNative(new int[] {id});
      if (!back.equals(texts.get(id))) {
        out.close();
        throw BadInputException.of(where + ": added token " + id, "'" + texts.get(id) + "' (the tokenizers library "
            + "gives id " + id + " to '" + back + "')", "an added token the library keeps at its id (put it in model.vocab "
            + "too, or give it an id after the model's)");
      }
    }
    return out;
  }

  private static void set(List<String> texts, List<Boolean> special, int id, String text, boolean isSpecial) {
    while (texts.size() <= id) {
      texts.add(null);
      special.add(false);
    }
    texts.set(id, text);
    special.set(id, isSpecial);
  }

  private static int id(JsonNode node, String where) {
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
      throw BadInputException.of(where, node, "a token id >= 0");
    }
    return node.asInt();
  }

  private static void readModelVocab(JsonNode model, String where, List<String> texts, List<Boolean> special) {
    String type = model.path("type").asText("");
    JsonNode vocab = Json.field(model, "vocab", where + ": model");
    if (type.equals("Unigram")) {
      if (!vocab.isArray()) {
        throw BadInputException.of(where + ": model.vocab", vocab.getNodeType(), "an array of [piece, score] (Unigram)");
      }
      for (int i = 0; i < vocab.size(); i++) {
        JsonNode piece = vocab.get(i);
        if (!piece.isArray() || piece.size() < 1 || !piece.get(0).isTextual()) {
          throw BadInputException.of(where + ": model.vocab[" + i + "]", piece, "[piece, score]");
        }
        set(texts, special, i, piece.get(0).asText(), false);
      }
      return;
    }
    if (!vocab.isObject()) {
      throw BadInputException.of(where + ": model.vocab", vocab.getNodeType(), "an object of token: id (" + type + ")");
    }
    for (Map.Entry<String, JsonNode> e : vocab.properties()) {
      set(texts, special, id(e.getValue(), where + ": model.vocab[" + e.getKey() + "]"), e.getKey(), false);
    }
  }

  /** The kind of token text from the decoder, the pre-tokenizer and the model. */
  private static Kind kind(JsonNode root, JsonNode model, String where) {
    String type = model.path("type").asText("");
    if (!List.of("BPE", "WordLevel", "Unigram", "WordPiece").contains(type)) {
      throw BadInputException.of(where + ": model.type", type.isEmpty() ? "missing" : type,
          "BPE, Unigram or WordLevel (byte-level, SentencePiece-style or plain-text tokens)");
    }
    List<JsonNode> parts = new ArrayList<>();
    flatten(root.get("decoder"), parts);
    flatten(root.get("pre_tokenizer"), parts);
    boolean byteLevel = false;
    boolean metaspace = model.path("byte_fallback").asBoolean(false);
    for (JsonNode p : parts) {
      String t = p.path("type").asText("");
      switch (t) {
        case "ByteLevel" -> byteLevel = true;
        case "Metaspace", "ByteFallback" -> metaspace = true;
        case "Replace" -> metaspace |= p.path("pattern").path("String").asText("").equals("\u2581");
        case "WordPiece", "CTC", "BPEDecoder" -> throw BadInputException.of(where + ": decoder", t,
            "a ByteLevel, Metaspace (SentencePiece), Fuse or no decoder: " + t + " tokens have no byte strings "
                + "that concatenate to the text");
        default -> { }
      }
    }
    if (type.equals("WordPiece")) {
      throw BadInputException.of(where + ": model.type", type, "BPE, Unigram or WordLevel: WordPiece (BERT) tokens "
          + "have no byte strings that concatenate to the text");
    }
    if (byteLevel && metaspace) {
      throw BadInputException.of(where + ": decoder", "both ByteLevel and Metaspace", "one of them");
    }
    return byteLevel ? Kind.BYTE_LEVEL : metaspace ? Kind.SENTENCEPIECE : Kind.TEXT;
  }

  private static void flatten(JsonNode node, List<JsonNode> out) {
    if (node == null || node.isNull()) {
      return;
    }
    out.add(node);
    for (String key : new String[] {"decoders", "pretokenizers"}) {
      JsonNode children = node.get(key);
      if (children != null && children.isArray()) {
        children.forEach(c -> flatten(c, out));
      }
    }
  }

  /** GPT-2's byte-to-unicode table, inverted: char -> byte, -1 for chars that stand for no byte. */
  private static final int[] BYTE_OF_CHAR = byteOfChar();

  private static int[] byteOfChar() {
    int[] map = new int[512];
    java.util.Arrays.fill(map, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      map[printable ? b : 256 + extra++] = b;
    }
    return map;
  }

  private static byte[] bytesOf(Kind kind, String text, String where, int id) {
    switch (kind) {
      case BYTE_LEVEL -> {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
          if (b < 0) {
            throw BadInputException.of(where + ": token " + id, "'" + text + "'",
                "byte-level text (each character one of GPT-2's 256 byte characters)");
          }
          out[i] = (byte) b;
        }
        return out;
      }
      case SENTENCEPIECE -> {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
          try {
            return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
          } catch (NumberFormatException e) {
            // an ordinary token that looks like one
          }
        }
        return text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        return text.getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  @Override
  public String name() {
    return "hf";
  }

  /** The tokenizer.json file. */
  public Path file() {
    return file;
  }

  /** How token text maps to bytes. */
  public Kind kind() {
    return kind;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    for (String piece : pieces(text)) {
      for (long id : tokenizer.encode(piece, false, false).getIds()) {
        ids.add((int) id);
      }
    }
    int[] out = ids.stream().mapToInt(Integer::intValue).toArray();
    for (int id : out) {
      if (!vocabulary.isUsed(id)) {
        throw new IllegalStateException(file + ": the tokenizer produced id " + id + ", which the vocabulary does not have");
      }
      if (id == unk && !text.contains(vocabulary.text(unk))) {
        throw BadInputException.of("text", abbreviate(text), "text that " + file + " can encode (a part of it is "
            + "its unknown token " + vocabulary.text(unk) + ")");
      }
    }
    if (kind != Kind.SENTENCEPIECE) {
      String back = decode(out);
      if (!back.equals(text)) {
        int at = 0;
        while (at < back.length() && at < text.length() && back.charAt(at) == text.charAt(at)) {
          at++;
        }
        throw BadInputException.of("text", abbreviate(text), "text that " + file + " can encode exactly (from "
            + "character " + at + " on, '" + abbreviate(text.substring(at)) + "', its tokens decode to '"
            + abbreviate(back.substring(Math.min(at, back.length()))) + "')");
      }
    }
    return out;
  }

  /**
   * The text split so that no piece contains a special token's text (each occurrence is cut after its
   * first character), so that the tokenizer encodes it as ordinary text.
   */
  private List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int cut = -1;
      for (String s : specials) {
        int i = s.isEmpty() ? -1 : text.indexOf(s, from);
        if (i >= 0 && (cut < 0 || i < cut)) {
          cut = i;
        }
      }
      if (cut < 0) {
        break;
      }
      int split = text.offsetByCodePoints(cut, 1);
      out.add(text.substring(from, split));
      from = split;
    }
    out.add(text.substring(from));
    out.removeIf(String::isEmpty);
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(vocabulary.bytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The tokenizers library's own decoding (skipping nothing), for comparison with {@link #decode}. */
  public String decodeNative(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "HfTokenizer[" + file + ", " + kind + ", " + vocabulary + "]";
  }
}
