package org.fewstep.text.speculative;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Names;

/**
 * The token-level verifiers by spec name. All are exact: the emitted token's law, averaged over the
 * draws of their scheme, is p.
 * <ul>
 *   <li>{@code standard} (IID, one candidate): speculative sampling (Leviathan et al. 2023).
 *   <li>{@code spectr} (IID): SpecTr's K-SEQ (Sun et al. 2023), within 1 - 1/e of the optimum.
 *   <li>{@code rrs} (IID) and {@code rrs-wor} (WITHOUT_REPLACEMENT): recursive rejection sampling.
 *   <li>{@code greedy-md} (GREEDY): optimal for greedy drafts (Hu et al. 2025); a residual token
 *       among the deterministic candidates continues that candidate's draft.
 * </ul>
 */
public final class Verifiers {
  private static final List<String> NAMES = List.of("standard", "spectr", "rrs", "rrs-wor", "greedy-md");

  private Verifiers() {}

  /** The verifier called {@code name}; an unknown name is an error with a suggestion. */
  public static Verifier of(String name) {
    switch (String.valueOf(name)) {
      case "standard":
        return new StandardVerifier();
      case "spectr":
        return new KSeqVerifier();
      case "rrs":
        return new RecursiveRejectionVerifier(false);
      case "rrs-wor":
        return new RecursiveRejectionVerifier(true);
      case "greedy-md":
        return new GreedyDraftVerifier();
      default:
        throw new BadInputException("unknown verifier '" + name + "'" + Names.suggestion(String.valueOf(name), NAMES)
            + "; valid verifiers: " + String.join(", ", NAMES));
    }
  }

  /** The names {@link #of} knows: standard, spectr, rrs, rrs-wor, greedy-md. */
  public static List<String> names() {
    return NAMES;
  }
}
