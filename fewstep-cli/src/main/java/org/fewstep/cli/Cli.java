package org.fewstep.cli;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.ems.Ems;

/** Small checks shared by the commands. */
final class Cli {
  private Cli() {}

  /** {@code value} if it is one of {@code allowed}, else a clear error naming the option. */
  static String choice(String option, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw BadInputException.of(option, value, "one of " + String.join(", ", allowed));
  }

  private static final Pattern EMS_FILE = Pattern.compile("ems=([^,+;]+\\.json)");

  /**
   * DPM-Solver-v3's statistics belong to one model and one guidance scale: every {@code ems=FILE.json}
   * in a sampler spec (also inside a {@code base=}) must name {@code model} and {@code guidance}
   * (null: none), or the sampler would run on another model's statistics without a sign.
   */
  static void requireMatchingEms(String samplerSpec, String model, Double guidance) {
    Matcher m = EMS_FILE.matcher(samplerSpec);
    while (m.find()) {
      Path file = Path.of(m.group(1));
      Ems ems = Ems.read(file);
      if (!ems.model().isEmpty() && !ems.model().equals(model)) {
        throw BadInputException.of(file + ": model", ems.model(), model + " (the --model; EMS depend on the model:"
            + " fewstep tune diffusion --method ems --model " + model + ")");
      }
      boolean same = guidance == null ? Double.isNaN(ems.guidance()) : ems.guidance() == guidance;
      if (!same) {
        throw BadInputException.of(file + ": guidance", Double.isNaN(ems.guidance()) ? "none" : ems.guidance(),
            (guidance == null ? "none" : guidance) + " (the --guidance; EMS depend on the guidance scale)");
      }
    }
  }
}
