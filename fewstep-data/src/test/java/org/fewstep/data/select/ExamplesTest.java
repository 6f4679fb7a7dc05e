package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndReadsInstructionRecords() throws IOException {
    List<Example> pool = List.of(new Example("a", "line one\n\"quoted\"", List.of("x", "y"), 0.25),
        new Example("b", "", List.of(), 1));
    Path file = dir.resolve("pool.jsonl");
    Examples.write(file, pool);
    assertThat(Examples.read(file)).isEqualTo(pool);

    Path alpaca = dir.resolve("alpaca.jsonl");
    Files.writeString(alpaca, "{\"instruction\": \"Add.\", \"input\": \"2 3\", \"output\": \"5\"}\n\n"
        + "{\"instruction\": \"Greet.\", \"input\": \"\", \"output\": \"Hi\", \"quality\": 3}\n");
    assertThat(Examples.read(alpaca)).containsExactly(new Example("1", "Add.\n2 3\n5", List.of(), 1),
        new Example("3", "Greet.\nHi", List.of(), 3));
  }

  @Test
  void badLinesNameTheirPlace() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"text\": \"ok\"}\n{\"txt\": \"typo\"}\n");
    assertThatThrownBy(() -> Examples.read(file)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("bad.jsonl:2").hasMessageContaining("txt");
    Files.writeString(file, "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"a\", \"text\": \"y\"}\n");
    assertThatThrownBy(() -> Examples.read(file)).hasMessageContaining("bad.jsonl:2 id");
    Files.writeString(file, "{\"text\": \"x\", \"quality\": -1}\n");
    assertThatThrownBy(() -> Examples.read(file)).hasMessageContaining("quality");
    Files.writeString(file, "{\"text\": \"x\"\n");
    assertThatThrownBy(() -> Examples.read(file)).hasMessageContaining("malformed JSON");
    Files.writeString(file, "\n");
    assertThatThrownBy(() -> Examples.read(file)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> Examples.read(dir.resolve("none.jsonl"))).hasMessageContaining("does not exist");
  }
}
