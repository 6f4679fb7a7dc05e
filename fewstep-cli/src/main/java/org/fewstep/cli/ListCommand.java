package org.fewstep.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Registry;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.text.generate.Decoders;
import org.fewstep.text.masked.MaskedDecoders;
import org.fewstep.text.model.LanguageModels;
import org.fewstep.text.model.MaskedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fewstep list}: every registered component, its options and its paper. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the registered components (samplers, models, schedules, errors, language models, decoders, masked models, masked decoders, test-time scaling methods, tasks, reward models, data selectors) with their options and papers.")
final class ListCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", description = "samplers, models, schedules, errors, language-models, decoders, masked-models, masked-decoders, methods, tasks,"
      + " reward-models or selectors (default: all)")
  String kind;

  @Override
  public Integer call() {
    List<Registry<?>> registries = List.of(Diffusion.samplers(), Diffusion.models(), Diffusion.schedules(), Diffusion.errors(),
        LanguageModels.registry(), Decoders.registry(), MaskedModels.registry(), MaskedDecoders.registry(),
        org.fewstep.scaling.Methods.registry(), org.fewstep.scaling.Tasks.registry(), ScaleCommand.PRMS,
        org.fewstep.data.select.Selectors.registry());
    boolean found = false;
    for (Registry<?> r : registries) {
      String plural = r.kind().replace(' ', '-') + "s";
      if (kind == null || plural.equals(kind) || r.kind().equals(kind) || (kind.equals("errors") && r.kind().equals("model error"))) {
        print(r);
        found = true;
      }
    }
    if (!found) {
      throw BadInputException.of("kind", kind, "samplers, models, schedules, errors, language-models, decoders, masked-models, masked-decoders, methods, tasks,"
          + " reward-models or selectors");
    }
    return 0;
  }

  private void print(Registry<?> registry) {
    out().println("== " + registry.kind() + "s ==");
    for (Component<?> c : registry.components()) {
      out().println();
      out().println(c.name() + " - " + c.summary());
      out().println("  paper: " + c.reference());
      for (Option o : c.options()) {
        String def = o.required() ? "required" : o.defaultValue() == null ? "unset" : "default " + o.defaultValue();
        out().printf(Locale.ROOT, "  %-16s %-40s %s; %s%n", o.key(), o.describeType(), def, o.help());
      }
    }
    out().println();
  }

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
