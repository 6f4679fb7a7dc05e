package org.fewstep.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * The tokens of a language model: ids {@code 0 .. size()-1}, each with its byte string. Some ids of
 * a BPE vocabulary are unused (cl100k has gaps below its special tokens); they have no bytes and a
 * model gives them probability zero. Special tokens (end of text and the like) carry their textual
 * form as bytes and are flagged, so a grammar's token mask can exclude them.
 */
public final class Vocabulary {

  private final byte[][] tokens;
  private final boolean[] special;
  private final int eos;
  private final int used;

  /**
   * @param tokens  each id's byte string, {@code null} for an unused id
   * @param special which ids are special tokens (same length as tokens)
   * @param eos     the end-of-sequence id, or -1 when sequences never end
   */
  public Vocabulary(byte[][] tokens, boolean[] special, int eos) {
    if (tokens.length == 0) {
      throw BadInputException.of("vocabulary size", 0, "at least one token");
    }
    if (special.length != tokens.length) {
      throw BadInputException.of("special flags", special.length, tokens.length + " flags, one per token");
    }
    if (eos < -1 || eos >= tokens.length || (eos >= 0 && tokens[eos] == null)) {
      throw BadInputException.of("eos", eos, "-1 or a used id below " + tokens.length);
    }
    this.tokens = new byte[tokens.length][];
    int count = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] != null) {
        this.tokens[i] = tokens[i].clone();
        count++;
      }
    }
    this.special = special.clone();
    this.eos = eos;
    this.used = count;
  }

  /** Number of ids, used or not: the length of a logit vector. */
  public int size() {
    return tokens.length;
  }

  /** Number of ids that have bytes. */
  public int usedCount() {
    return used;
  }

  /** Whether {@code id} is a token (in range and not a gap). */
  public boolean isUsed(int id) {
    return id >= 0 && id < tokens.length && tokens[id] != null;
  }

  /** A copy of the byte string of {@code id}. */
  public byte[] bytes(int id) {
    return raw(id).clone();
  }

  /** Length in bytes of token {@code id}. */
  public int length(int id) {
    return raw(id).length;
  }

  /** Token {@code id} as text for display (invalid UTF-8 shows as U+FFFD). */
  public String text(int id) {
    return new String(raw(id), StandardCharsets.UTF_8);
  }

  /** Whether {@code id} is a special token. */
  public boolean isSpecial(int id) {
    return isUsed(id) && special[id];
  }

  /** The end-of-sequence id, or -1 when this vocabulary has none. */
  public int eos() {
    return eos;
  }

  /** Throws a clear error unless {@code id} is a used token id; {@code what} names the parameter. */
  public void requireToken(String what, int id) {
    if (!isUsed(id)) {
      throw BadInputException.of(what, id, "a token id in [0, " + tokens.length + ") that the vocabulary uses");
    }
  }

  private byte[] raw(int id) {
    requireToken("token id", id);
    return tokens[id];
  }

  @Override
  public String toString() {
    return "Vocabulary[size=" + tokens.length + ", used=" + used + ", eos=" + eos + "]";
  }

  /** Whether two vocabularies have the same ids, bytes, special flags and end token. */
  public boolean sameAs(Vocabulary other) {
    return eos == other.eos && Arrays.equals(special, other.special) && Arrays.deepEquals(tokens, other.tokens);
  }
}
