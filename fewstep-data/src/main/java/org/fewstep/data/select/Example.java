package org.fewstep.data.select;

import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * One item of a pool a selector chooses from: an identifier, its text (for an instruction set the
 * instruction, input and response together), its semantic labels (MIG's tags; a class for
 * balanced sampling) and a quality score (MIG's q; 1 when the data has none).
 */
public record Example(String id, String text, List<String> labels, double quality) {

  public Example {
    if (id == null || id.isEmpty()) {
      throw BadInputException.of("id", id, "a non-empty identifier");
    }
    if (text == null) {
      throw BadInputException.of("text of " + id, null, "a string");
    }
    labels = List.copyOf(labels);
    if (!Double.isFinite(quality) || quality < 0) {
      throw BadInputException.of("quality of " + id, quality, "a finite non-negative score");
    }
  }
}
