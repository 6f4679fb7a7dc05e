package org.fewstep.constrain.regex;

import java.util.List;

/** The syntax tree of a parsed pattern; groups leave no node of their own. */
interface Node {
  /** No {@code max} bound: {@code *}, {@code +}, {@code {n,}}. */
  int UNBOUNDED = -1;

  /** One code point of a set (normalized ranges, see {@link CodePoints}). */
  record Chars(int[] ranges) implements Node {}

  record Concat(List<Node> items) implements Node {}

  record Alt(List<Node> options) implements Node {}

  /** {@code min..max} copies of {@code body} ({@code max} may be {@link #UNBOUNDED}). */
  record Repeat(Node body, int min, int max) implements Node {}

  /** {@code ^} (start of input) or {@code $} (end of input). */
  record Anchor(boolean start) implements Node {}
}
