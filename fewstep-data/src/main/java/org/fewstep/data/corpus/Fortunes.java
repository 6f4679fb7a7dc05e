package org.fewstep.data.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.data.select.Example;

/**
 * A small labelled text set bundled with fewstep: ten category files of BSD {@code fortune} (Debian
 * package {@code fortunes} 1:1.99.1-7.3; licence in the resource folder's README.md). Each entry is an
 * {@link Example} with id {@code category:index} (0-based within its file), its text (trailing blank
 * lines removed), the single label {@code [category]} and quality 1 (the data carries no score; an
 * experiment that needs one attaches its own). Entries are separated by lines that are exactly {@code %};
 * empty entries are skipped.
 */
public final class Fortunes {
  private Fortunes() {}

  /** The bundled categories, in load order. */
  public static final List<String> CATEGORIES =
      List.of("education", "food", "law", "love", "medicine", "pets", "science", "sports", "startrek", "work");

  /** Every entry of every bundled category. */
  public static List<Example> load() {
    return load(CATEGORIES);
  }

  /** Every entry of the given bundled categories, category by category. */
  public static List<Example> load(List<String> categories) {
    List<Example> out = new ArrayList<>();
    for (String c : categories) {
      out.addAll(category(c));
    }
    return out;
  }

  /** The entries of one bundled category. */
  public static List<Example> category(String category) {
    if (!CATEGORIES.contains(category)) {
      throw BadInputException.of("fortune category", category, "one of " + CATEGORIES);
    }
    String text;
    try (InputStream in = Fortunes.class.getResourceAsStream("/org/fewstep/data/fortunes/" + category)) {
      if (in == null) {
        throw new IllegalStateException("missing resource for fortune category " + category);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(category, text);
  }

  /** Splits fortune-file text into entries labelled {@code category}. */
  public static List<Example> parse(String category, String text) {
    List<Example> out = new ArrayList<>();
    StringBuilder entry = new StringBuilder();
    for (String line : (text + "\n%").split("\r?\n", -1)) {
      if (line.equals("%")) {
        String body = entry.toString().stripTrailing();
        if (!body.isBlank()) {
          out.add(new Example(category + ":" + out.size(), body, List.of(category), 1.0));
        }
        entry.setLength(0);
      } else {
        entry.append(line).append('\n');
      }
    }
    return out;
  }
}
