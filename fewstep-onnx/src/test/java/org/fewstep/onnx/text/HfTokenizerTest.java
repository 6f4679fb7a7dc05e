package org.fewstep.onnx.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer.json adapter: the toy char-level BPE round-trips text; a byte-level BPE file (GPT-2
 * style, written here) maps its characters to bytes and agrees with the tokenizers library's own
 * decoder; SentencePiece-style byte fallback tokens are bytes; special-token text is ordinary text;
 * unsupported files and unencodable text are clear errors.
 */
class HfTokenizerTest {
  @TempDir
  Path dir;

  @Test
  void theToyTokenizerRoundTripsText() {
    try (HfTokenizer t = HfTokenizer.load(ToyModels.DIR.resolve("tokenizer.json"), 48, 0)) {
      assertThat(t.kind()).isEqualTo(HfTokenizer.Kind.TEXT);
      assertThat(t.vocabulary().size()).isEqualTo(48);
      assertThat(t.vocabulary().usedCount()).isEqualTo(40);
      assertThat(t.vocabulary().text(0)).isEqualTo("<|endoftext|>");
      assertThat(t.vocabulary().isSpecial(0)).isTrue();
      assertThat(t.vocabulary().eos()).isZero();
      String text = "the cat sat on the mat.\nit's there, isn't it";
      int[] ids = t.encode(text);
      assertThat(t.decode(ids)).isEqualTo(text);
      assertThat(t.decodeNative(ids)).isEqualTo(text);
      assertThat(t.vocabulary().text(ids[0])).isEqualTo("the"); // merges apply: t h -> th, th e -> the
      assertThat(ids.length).isLessThan(text.length());
      String longText = "in the beginning there was an error. ".repeat(60); // no truncation at 512 tokens
      assertThat(t.decode(t.encode(longText))).isEqualTo(longText);
      assertThat(t.encode("")).isEmpty();
      assertThatThrownBy(() -> t.encode("the Cat")).isInstanceOf(BadInputException.class)
          .hasMessageContaining("can encode exactly").hasMessageContaining("character 4");
      assertThatThrownBy(() -> t.encode("a<|endoftext|>")).isInstanceOf(BadInputException.class); // not as a special
    }
    assertThatThrownBy(() -> HfTokenizer.load(ToyModels.DIR.resolve("tokenizer.json"), 30, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("an id below 30");
    assertThatThrownBy(() -> HfTokenizer.load(ToyModels.DIR.resolve("tokenizer.json"), 48, 44))
        .isInstanceOf(BadInputException.class).hasMessageContaining("end-of-sequence id = 44");
  }

  /** GPT-2's byte characters: printable Latin-1 stand for themselves, the other bytes for 256 + n. */
  static char byteChar(int b) {
    int extra = 0;
    for (int x = 0; x < 256; x++) {
      boolean printable = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255);
      if (x == b) {
        return (char) (printable ? x : 256 + extra);
      }
      extra += printable ? 0 : 1;
    }
    throw new IllegalArgumentException();
  }

  static String bytesText(String utf8) {
    StringBuilder sb = new StringBuilder();
    for (byte b : utf8.getBytes(StandardCharsets.UTF_8)) {
      sb.append(byteChar(b & 0xFF));
    }
    return sb.toString();
  }

  private Path byteLevelFile() throws Exception {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ObjectNode level = Json.mapper().createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    root.set("pre_tokenizer", level);
    root.putNull("post_processor");
    root.set("decoder", level.deepCopy());
    ObjectNode model = root.putObject("model").put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("fuse_unk", false).put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(byteChar(b)), b);
    }
    List<String[]> merges = List.of(new String[] {bytesText(" "), "t"}, new String[] {"h", "e"},
        new String[] {bytesText(" t"), "he"}, new String[] {bytesText("é").substring(0, 1), bytesText("é").substring(1)});
    ArrayNode m = model.putArray("merges");
    int id = 256;
    for (String[] pair : merges) {
      m.add(pair[0] + " " + pair[1]);
      vocab.put(pair[0] + pair[1], id++);
    }
    ArrayNode added = root.putArray("added_tokens");
    added.addObject().put("id", id).put("content", "<|endoftext|>").put("special", true).put("normalized", false)
        .put("single_word", false).put("lstrip", false).put("rstrip", false);
    Path file = dir.resolve("byte-level.json");
    Files.writeString(file, root.toString());
    return file;
  }

  @Test
  void byteLevelTokensAreTheirBytes() throws Exception {
    try (HfTokenizer t = HfTokenizer.load(byteLevelFile(), 0, 260)) {
      assertThat(t.kind()).isEqualTo(HfTokenizer.Kind.BYTE_LEVEL);
      assertThat(t.vocabulary().size()).isEqualTo(261);
      assertThat(t.vocabulary().bytes(' ')).containsExactly(' ');
      assertThat(t.vocabulary().bytes(0)).containsExactly(0);
      assertThat(t.vocabulary().bytes(0xE9)).containsExactly((byte) 0xE9); // a lone byte, not the char é
      assertThat(t.vocabulary().text(258)).isEqualTo(" the");
      assertThat(t.vocabulary().text(259)).isEqualTo("é");
      assertThat(t.vocabulary().isSpecial(260)).isTrue();
      String text = "the théâtre\n\t <|endoftext|> the end 日本";
      int[] ids = t.encode(text);
      assertThat(ids).doesNotContain(260).contains(258, 259);
      assertThat(t.decode(ids)).isEqualTo(text);
      assertThat(t.decodeNative(ids)).isEqualTo(text);
    }
  }

  @Test
  void sentencePieceByteFallbackTokensAreBytes() throws Exception {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("version", "1.0");
    ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
    normalizers.addObject().put("type", "Prepend").put("prepend", "\u2581");
    normalizers.addObject().put("type", "Replace").put("content", "\u2581").putObject("pattern").put("String", " ");
    ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
    decoders.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", "\u2581");
    decoders.addObject().put("type", "ByteFallback");
    decoders.addObject().put("type", "Fuse");
    decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    ObjectNode model = root.putObject("model").put("type", "BPE").put("unk_token", "<unk>").put("byte_fallback", true)
        .put("fuse_unk", true);
    ObjectNode vocab = model.putObject("vocab");
    vocab.put("<unk>", 0);
    for (int b = 0; b < 256; b++) {
      vocab.put(String.format("<0x%02X>", b), 1 + b);
    }
    List<String> pieces = new ArrayList<>(List.of("\u2581", "a", "b", "\u2581a"));
    for (int i = 0; i < pieces.size(); i++) {
      vocab.put(pieces.get(i), 257 + i);
    }
    model.putArray("merges").add("\u2581 a");
    Path file = dir.resolve("sp.json");
    Files.writeString(file, root.toString());
    try (HfTokenizer t = HfTokenizer.load(file)) {
      assertThat(t.kind()).isEqualTo(HfTokenizer.Kind.SENTENCEPIECE);
      assertThat(t.vocabulary().bytes(1 + 0xC3)).containsExactly((byte) 0xC3);
      assertThat(t.vocabulary().text(260)).isEqualTo(" a");
      int[] ids = t.encode("ab ä");
      assertThat(ids).containsExactly(260, 259, 260 - 3, 1 + 0xC3, 1 + 0xA4);
      assertThat(t.decode(ids)).isEqualTo(" ab ä"); // the bytes, with the space the normalizer prepends
      assertThat(t.decodeNative(ids)).isEqualTo("ab ä");
    }
  }

  @Test
  void unsupportedOrBrokenFilesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> HfTokenizer.load(dir.resolve("none.json"))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("none.json").hasMessageContaining("an existing tokenizer.json");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}");
    assertThatThrownBy(() -> HfTokenizer.load(broken)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("broken.json").hasMessageContaining("malformed JSON");
    Path wordPiece = dir.resolve("bert.json");
    Files.writeString(wordPiece, "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": "
        + "{\"[UNK]\": 0, \"a\": 1, \"##b\": 2}}, \"decoder\": {\"type\": \"WordPiece\", \"prefix\": \"##\"}}");
    assertThatThrownBy(() -> HfTokenizer.load(wordPiece)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("bert.json").hasMessageContaining("WordPiece").hasMessageContaining("ByteLevel");
    Path noModel = dir.resolve("empty.json");
    Files.writeString(noModel, "{\"version\": \"1.0\"}");
    assertThatThrownBy(() -> HfTokenizer.load(noModel)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("empty.json").hasMessageContaining("model");
  }
}
