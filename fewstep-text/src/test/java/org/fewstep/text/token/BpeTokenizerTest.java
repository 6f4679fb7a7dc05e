package org.fewstep.text.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The four tiktoken encodings: sizes, end of text, special tokens and holes as JTokkit defines them,
 * ids of known strings (cross-checked with tiktoken), and exact round trips of arbitrary Unicode.
 */
class BpeTokenizerTest {

  @ParameterizedTest
  @CsvSource({
    "r50k,   R50K_BASE,   50257,  50256, 0",
    "p50k,   P50K_BASE,   50281,  50256, 0",
    "cl100k, CL100K_BASE, 100277, 100257, 16",
    "o200k,  O200K_BASE,  200019, 199999, 19",
  })
  void vocabularyIsJTokkitsIdsWithHolesWhereItCannotDecode(String name, EncodingType type, int size, int eos, int holes) {
    Vocabulary v = Tokenizers.bpe(name).vocabulary();
    assertThat(v.size()).isEqualTo(size);
    assertThat(v.eos()).isEqualTo(eos);
    assertThat(v.text(eos)).isEqualTo("<|endoftext|>");
    assertThat(v.usedCount()).isEqualTo(size - holes);
    Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(type);
    for (int id = 0; id <= size; id++) {
      byte[] expected = decodeOne(jtokkit, id);
      if (id == size) {
        assertThat(expected).as("id %d is past JTokkit's largest id", id).isNull();
      } else if (expected == null) {
        assertThat(v.isUsed(id)).as("hole %d", id).isFalse();
      } else {
        assertThat(v.bytes(id)).as("bytes of %d", id).isEqualTo(expected);
      }
    }
  }

  private static byte[] decodeOne(Encoding encoding, int id) {
    IntArrayList one = new IntArrayList();
    one.add(id);
    try {
      return encoding.decodeBytes(one);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Test
  void theHolesOfCl100kAndO200kAreBelowTheirSpecialTokens() {
    Vocabulary cl = Tokenizers.bpe("cl100k").vocabulary();
    List<Integer> clHoles = new ArrayList<>();
    for (int id = 0; id < cl.size(); id++) {
      if (!cl.isUsed(id)) {
        clHoles.add(id);
      }
    }
    assertThat(clHoles).first().isEqualTo(100256);
    assertThat(clHoles.subList(1, clHoles.size())).containsExactlyElementsOf(range(100261, 100275));
    Vocabulary o = Tokenizers.bpe("o200k").vocabulary();
    for (int id : List.of(199998, 200000, 200017)) {
      assertThat(o.isUsed(id)).isFalse();
    }
  }

  private static List<Integer> range(int from, int toInclusive) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= toInclusive; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void specialTokensAreFlaggedAndCarryTheirText() {
    assertSpecials("r50k", List.of(50256), List.of("<|endoftext|>"));
    assertSpecials("p50k", List.of(50256), List.of("<|endoftext|>"));
    assertSpecials("cl100k", List.of(100257, 100258, 100259, 100260, 100276),
        List.of("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"));
    assertSpecials("o200k", List.of(199999, 200018), List.of("<|endoftext|>", "<|endofprompt|>"));
  }

  private static void assertSpecials(String name, List<Integer> ids, List<String> texts) {
    Vocabulary v = Tokenizers.bpe(name).vocabulary();
    List<Integer> special = new ArrayList<>();
    for (int id = 0; id < v.size(); id++) {
      if (v.isSpecial(id)) {
        special.add(id);
      }
    }
    assertThat(special).as(name).isEqualTo(ids);
    assertThat(ids.stream().map(v::text).toList()).isEqualTo(texts);
  }

  /** tiktoken: cl100k "hello"=15339, " world"=1917; gpt2 (r50k) "hello"=31373, " world"=995. */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "cl100k ; hello world ; 15339 1917",
    "r50k   ; hello world ; 31373 995",
    "p50k   ; hello world ; 31373 995",
    "o200k  ; hello world ; 24912 2375",
    "cl100k ; <|endoftext|> ; 27 91 8862 728 428 91 29",
  })
  void knownEncodings(String name, String text, String ids) {
    Tokenizer t = Tokenizers.bpe(name);
    int[] expected = Arrays.stream(ids.split(" ")).mapToInt(Integer::parseInt).toArray();
    assertThat(t.encode(text)).containsExactly(expected);
    assertThat(t.decode(expected)).isEqualTo(text);
  }

  @Test
  void specialTokensDecodeToTheirText() {
    Tokenizer cl = Tokenizers.bpe("cl100k");
    assertThat(cl.decode(new int[] {15339, 100257})).isEqualTo("hello<|endoftext|>");
  }

  @Property(tries = 300, seed = "20261127")
  void encodeThenDecodeIsTheIdentityAndTheBytesConcatenate(@ForAll("unicode") String text) {
    for (String name : List.of("r50k", "p50k", "cl100k", "o200k")) {
      Tokenizer t = Tokenizers.bpe(name);
      int[] ids = t.encode(text);
      assertThat(t.decode(ids)).isEqualTo(text);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (int id : ids) {
        assertThat(t.vocabulary().isSpecial(id)).isFalse();
        bytes.writeBytes(t.vocabulary().bytes(id));
      }
      assertThat(bytes.toByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Strings of ASCII, Latin, CJK, emoji and any other code point (no lone surrogates), special-token text included. */
  @Provide
  Arbitrary<String> unicode() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8)),
        Tuple.of(2, Arbitraries.strings().withChars("äöüßéèñçσπжд \n\t").ofMaxLength(5)),
        Tuple.of(2, Arbitraries.strings().withCharRange('\u4e00', '\u9fff').ofMaxLength(4)),
        Tuple.of(2, Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString)),
        Tuple.of(1, Arbitraries.integers().between(0, 0x10FFFF)
            .filter(cp -> cp < 0xD800 || cp > 0xDFFF).map(Character::toString)),
        Tuple.of(1, Arbitraries.of("<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>")));
    return piece.list().ofMaxSize(12).map(list -> String.join("", list));
  }

  @Test
  void unknownNamesAreErrorsWithASuggestion() {
    assertThatThrownBy(() -> Tokenizers.bpe("cl100"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown BPE tokenizer 'cl100' (did you mean 'cl100k'?); valid BPE tokenizers: r50k, p50k, cl100k, o200k");
    assertThatThrownBy(() -> Tokenizers.bpe("gpt2")).hasMessageContaining("valid BPE tokenizers: r50k, p50k, cl100k, o200k");
  }

  @Test
  void decodingAHoleOrAnIdOutOfRangeIsAnError() {
    Tokenizer cl = Tokenizers.bpe("cl100k");
    assertThatThrownBy(() -> cl.decode(new int[] {15339, 100256}))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("ids[1] = 100256: expected a token id in [0, 100277)");
    assertThatThrownBy(() -> cl.decode(new int[] {-1})).hasMessageStartingWith("ids[0] = -1");
  }

  @Test
  void eachEncodingIsBuiltOnceAndShared() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Tokenizer>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tasks.add(() -> Tokenizers.bpe("p50k"));
      }
      Tokenizer first = Tokenizers.bpe("p50k");
      for (Future<Tokenizer> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isSameAs(first);
      }
    } finally {
      pool.shutdown();
    }
  }
}
