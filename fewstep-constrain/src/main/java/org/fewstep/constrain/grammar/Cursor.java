package org.fewstep.constrain.grammar;

import org.fewstep.core.BadInputException;

/** A position in a grammar's source text, with the errors that name its line and column. */
final class Cursor {
  final String text;
  final String source;
  int pos;

  Cursor(String text, String source) {
    this.text = text;
    this.source = source;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  /** The char at the position, or 0 at the end. */
  char peek() {
    return atEnd() ? 0 : text.charAt(pos);
  }

  boolean startsWith(String s) {
    return text.startsWith(s, pos);
  }

  int codePoint() {
    int cp = text.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  /** The value of {@code digits} hex digits at the position, a Unicode scalar value; {@code at} is the escape's start. */
  int hex(int at, int digits) {
    if (pos + digits > text.length()) {
      throw error(at, digits + " hex digits in the escape");
    }
    int value;
    try {
      value = Integer.parseUnsignedInt(text.substring(pos, pos + digits), 16);
    } catch (NumberFormatException e) {
      throw error(at, digits + " hex digits in the escape, not '" + text.substring(pos, pos + digits) + "'");
    }
    pos += digits;
    if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
      throw error(at, "a Unicode scalar value (not a surrogate, at most 10FFFF), not " + Integer.toHexString(value));
    }
    return value;
  }

  int line(int at) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      line += text.charAt(i) == '\n' ? 1 : 0;
    }
    return line;
  }

  int column(int at) {
    return at - (text.lastIndexOf('\n', at - 1) + 1) + 1;
  }

  String where(int at) {
    return line(at) + ":" + column(at);
  }

  /** An error at {@code at}: what is there (up to the end of the line, at most 20 chars) and what was expected. */
  BadInputException error(int at, String expected) {
    String found;
    if (at >= text.length()) {
      found = "the end of the text";
    } else {
      int eol = text.indexOf('\n', at);
      found = "'" + text.substring(at, Math.min(eol < 0 ? text.length() : eol, at + 20)) + "'";
    }
    return BadInputException.of(source + ":" + where(at), found, expected);
  }
}
