package org.fewstep.data.select;

import java.util.OptionalInt;
import org.fewstep.core.BadInputException;

/**
 * The labels of Add-One-In's candidate window (Li et al., EMNLP 2025; discrete-and-data.md section 8):
 * candidate i is shown as {@code [A]}, {@code [B]}, ... and a chooser answers {@code [[X]]}.
 *
 * <p>Parsing, as the reference ({@code mp_sharpley_LLM.py}): the first {@code [[...]]} in the reply
 * decides; it is valid when its content is exactly one upper-case label of a shown candidate, and a
 * reply whose first bracket pair is anything else (or that has none) is invalid, even if a valid answer
 * follows. The reference indexes the window with {@code ord(X) - 65}, so with ten candidates a reply
 * {@code [[9]]} or {@code [[@]]} silently picks a candidate through Python's negative indexing; here
 * such replies are invalid.
 */
public final class CandidateLabel {
  /** At most 26 candidates: labels A..Z. */
  public static final int MAX_CANDIDATES = 26;

  private CandidateLabel() {}

  /** The label of candidate {@code index}: "A" for 0. */
  public static String of(int index) {
    check(index);
    return String.valueOf((char) ('A' + index));
  }

  /** The answer that chooses candidate {@code index}: "[[A]]" for 0. */
  public static String answer(int index) {
    return "[[" + of(index) + "]]";
  }

  /** The candidate chosen by {@code reply} among {@code shown} candidates, or empty if the reply is invalid. */
  public static OptionalInt parse(String reply, int shown) {
    if (shown < 1 || shown > MAX_CANDIDATES) {
      throw BadInputException.of("shown candidates", shown, "1 to " + MAX_CANDIDATES);
    }
    if (reply == null) {
      return OptionalInt.empty();
    }
    int open = reply.indexOf("[[");
    int close = open < 0 ? -1 : reply.indexOf("]]", open + 2);
    if (close != open + 3) {
      return OptionalInt.empty();
    }
    int k = reply.charAt(open + 2) - 'A';
    return k >= 0 && k < shown ? OptionalInt.of(k) : OptionalInt.empty();
  }

  private static void check(int index) {
    if (index < 0 || index >= MAX_CANDIDATES) {
      throw BadInputException.of("candidate index", index, "0 to " + (MAX_CANDIDATES - 1));
    }
  }
}
