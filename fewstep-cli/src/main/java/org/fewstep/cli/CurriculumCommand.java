package org.fewstep.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fewstep.core.BadInputException;
import org.fewstep.data.experiment.AlpGmmExperiment;
import org.fewstep.data.experiment.AlpGmmExperiment.TeacherKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep curriculum}: a curriculum teacher trains a student of the ToyEnv, and the share of cells it masters. */
@Command(name = "curriculum", mixinStandardHelpOptions = true,
    description = {"Runs curriculum teachers on the ToyEnv of teachDeepRL (a 10 x 10 grid of cells whose competence grows",
        "only next to mastered cells) and prints the % of cells mastered every 1 000 episodes, mean (sd) over seeds.",
        "Teachers: alp-gmm (Portelas et al., CoRL 2019, the paper's defaults) and random."})
final class CurriculumCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--teacher", defaultValue = "alp-gmm,random", description = "teachers separated by ',': alp-gmm, random; default ${DEFAULT-VALUE}")
  String teacher;

  @Option(names = "--env", defaultValue = "toy", description = "the environment: toy; default ${DEFAULT-VALUE}")
  String env;

  @Option(names = "--dimensions", defaultValue = "2", description = "toy: task dimensions (10 cells per side); default ${DEFAULT-VALUE}")
  int dimensions;

  @Option(names = "--episodes", defaultValue = "20000", description = "episodes; default ${DEFAULT-VALUE}")
  int episodes;

  @Option(names = "--seeds", defaultValue = "1", description = "seeds separated by ',' (e.g. 1,2,3,4,5); default ${DEFAULT-VALUE}")
  String seeds;

  @Option(names = "--csv", description = "write teacher, seed, episode, % mastered to this CSV file")
  Path csv;

  @Override
  public Integer call() throws java.io.IOException {
    if (!env.equals("toy")) {
      throw BadInputException.of("--env", env, "toy (the ToyEnv of teachDeepRL)");
    }
    BadInputException.requireAtLeast("--episodes", episodes, 1);
    BadInputException.requireAtLeast("--dimensions", dimensions, 1);
    List<TeacherKind> teachers = new ArrayList<>();
    for (String t : teacher.split(",")) {
      try {
        teachers.add(TeacherKind.parse(t.strip()));
      } catch (BadInputException e) {
        throw BadInputException.of("--teacher", t.strip(), "alp-gmm or random");
      }
    }
    long[] seedList;
    try {
      seedList = java.util.Arrays.stream(seeds.split(",")).mapToLong(p -> Long.parseLong(p.strip())).toArray();
    } catch (NumberFormatException e) {
      throw BadInputException.of("--seeds", seeds, "comma-separated integers");
    }
    var settings = new AlpGmmExperiment.Settings(episodes, 10, dimensions, Math.max(1, Math.min(1_000, episodes)), seedList, teachers);
    var result = AlpGmmExperiment.run(settings);
    spec.commandLine().getOut().print(result.markdown());
    if (csv != null) {
      Files.writeString(csv, result.csv());
      spec.commandLine().getOut().println("CSV -> " + csv);
    }
    return 0;
  }
}
