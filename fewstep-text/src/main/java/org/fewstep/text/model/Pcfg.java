package org.fewstep.text.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.LinearSystems;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;
import org.fewstep.text.token.SymbolTokenizer;

/**
 * A probabilistic context-free grammar as an exact language model over its terminals and an end
 * token: the next-token distribution after a prefix is {@code P(w | prefix) = P(prefix w ...) /
 * P(prefix ...)} and {@code P(end | prefix) = P(sentence = prefix) / P(prefix ...)}, computed by
 * Stolcke's probabilistic Earley parser (Stolcke 1995, "An efficient probabilistic context-free
 * parsing algorithm that computes prefix probabilities", Computational Linguistics 21(2)), with the
 * left-corner and unit closures that make left recursion and unit cycles exact, and empty rules
 * removed exactly beforehand. A state keeps the chart column of every position.
 *
 * <p>The text format is described in {@code docs/pcfg-format.md}. Loading checks it fully: syntax
 * (line and column), duplicate alternatives, nonterminals without rules, probabilities per
 * left-hand side summing to 1 within 1e-9, nonterminals unreachable from the start symbol or
 * deriving no finite string, and consistency: the expected-children matrix must have spectral
 * radius below 1, or probability would escape to infinite derivations and the next-token
 * probabilities would not sum to 1. Each of these is an error; there are no warnings.
 */
public final class Pcfg implements LanguageModel {
  private static final double SUM_TOLERANCE = 1e-9;
  /** Largest expected number of rule uses in a derivation: beyond it the grammar counts as critical. */
  private static final double MAX_EXPECTED_RULES = 1e9;

  private final String name;
  private final SymbolTokenizer tokenizer;
  private final EarleyGrammar grammar;

  private Pcfg(String name, String source, String text) {
    List<PcfgReader.Rule> rules = PcfgReader.read(text, source);
    if (rules.isEmpty()) {
      throw new BadInputException(source + ": no rules; expected at least one line 'Start -> ... [p]'");
    }
    Map<String, Integer> nonterminals = new LinkedHashMap<>();
    for (PcfgReader.Rule rule : rules) {
      nonterminals.putIfAbsent(rule.lhs(), nonterminals.size());
    }
    Map<String, Integer> terminals = new LinkedHashMap<>();
    int count = rules.size();
    int[] lhs = new int[count];
    int[][] rhs = new int[count][];
    double[] prob = new double[count];
    int[] line = new int[count];
    Map<String, Integer> seen = new HashMap<>();
    for (int r = 0; r < count; r++) {
      PcfgReader.Rule rule = rules.get(r);
      lhs[r] = nonterminals.get(rule.lhs());
      rhs[r] = new int[rule.rhs().size()];
      prob[r] = rule.probability();
      line[r] = rule.line();
      for (int q = 0; q < rhs[r].length; q++) {
        PcfgReader.Symbol symbol = rule.rhs().get(q);
        if (symbol.terminal()) {
          rhs[r][q] = ~terminals.computeIfAbsent(symbol.text(), k -> terminals.size());
        } else if (nonterminals.containsKey(symbol.text())) {
          rhs[r][q] = nonterminals.get(symbol.text());
        } else {
          throw new BadInputException(source + " line " + line[r] + ": nonterminal " + symbol.text()
              + " has no rules: expected a line '" + symbol.text() + " -> ... [p]' (or a terminal in double quotes)");
        }
      }
      Integer first = seen.putIfAbsent(describe(rule), line[r]);
      if (first != null) {
        throw new BadInputException(source + " line " + line[r] + ": the alternative " + describe(rule)
            + " repeats the one at line " + first + ": expected each alternative once (add their probabilities)");
      }
    }
    String[] names = nonterminals.keySet().toArray(new String[0]);
    checkSums(names, lhs, prob, line, source);
    checkReachable(names, lhs, rhs, line, source);
    checkGenerating(names, lhs, rhs, line, source);
    checkConsistent(names, lhs, rhs, prob, source);
    this.name = name;
    this.tokenizer = new SymbolTokenizer(List.copyOf(terminals.keySet()), true);
    this.grammar = new EarleyGrammar(names.length, terminals.size(), lhs, rhs, prob, line, source);
  }

  /** Loads a grammar file; the model is named {@code pcfg:<file name>}. */
  public static Pcfg load(Path file) {
    try {
      return new Pcfg("pcfg:" + file.getFileName(), file.toString(), Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException("grammar file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses a grammar from text; the model is named {@code pcfg} and errors name the {@code grammar}. */
  public static Pcfg parse(String text) {
    return new Pcfg("pcfg", "grammar", text);
  }

  @Override
  public String name() {
    return name;
  }

  /** Symbols are the terminals in order of first appearance in the grammar, then the end token. */
  @Override
  public SymbolTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public LmState start() {
    return new State();
  }

  /**
   * The log-probability that a sentence starts with {@code tokens} (terminal ids, no end token) or,
   * with {@code withEos}, that it is exactly {@code tokens} (the sum over its derivations);
   * {@code -Infinity} if impossible.
   */
  public double logProbability(int[] tokens, boolean withEos) {
    return new State().logProbability(tokens, withEos);
  }

  private static String describe(PcfgReader.Rule rule) {
    return rule.lhs() + " ->" + rule.rhs().stream()
        .map(s -> s.terminal() ? " \"" + s.text().replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : " " + s.text())
        .collect(Collectors.joining());
  }

  private static void checkSums(String[] names, int[] lhs, double[] prob, int[] line, String source) {
    double[] sum = new double[names.length];
    List<List<Integer>> lines = new ArrayList<>();
    for (int x = 0; x < names.length; x++) {
      lines.add(new ArrayList<>());
    }
    for (int r = 0; r < lhs.length; r++) {
      sum[lhs[r]] += prob[r];
      lines.get(lhs[r]).add(line[r]);
    }
    for (int x = 0; x < names.length; x++) {
      if (Math.abs(sum[x] - 1) > SUM_TOLERANCE) {
        List<Integer> at = lines.get(x).stream().distinct().toList();
        throw BadInputException.of(source + ": sum of the probabilities of " + names[x] + " (line"
            + (at.size() > 1 ? "s " : " ") + at.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")",
            sum[x], "1 (within 1e-9)");
      }
    }
  }

  private static int firstLine(int x, int[] lhs, int[] line) {
    int r = 0;
    while (lhs[r] != x) {
      r++;
    }
    return line[r];
  }

  private static void checkReachable(String[] names, int[] lhs, int[][] rhs, int[] line, String source) {
    boolean[] reached = new boolean[names.length];
    reached[0] = true;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < lhs.length; r++) {
        if (reached[lhs[r]]) {
          for (int s : rhs[r]) {
            if (s >= 0 && !reached[s]) {
              reached[s] = changed = true;
            }
          }
        }
      }
    }
    for (int x = 0; x < names.length; x++) {
      if (!reached[x]) {
        throw new BadInputException(source + " line " + firstLine(x, lhs, line) + ": nonterminal " + names[x]
            + " is unreachable from the start symbol " + names[0]
            + ": expected every nonterminal to occur in a derivation (use it in a rule or remove its rules)");
      }
    }
  }

  private static void checkGenerating(String[] names, int[] lhs, int[][] rhs, int[] line, String source) {
    boolean[] generating = new boolean[names.length];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < lhs.length; r++) {
        if (!generating[lhs[r]] && Arrays.stream(rhs[r]).allMatch(s -> s < 0 || generating[s])) {
          generating[lhs[r]] = changed = true;
        }
      }
    }
    for (int x = 0; x < names.length; x++) {
      if (!generating[x]) {
        throw new BadInputException(source + " line " + firstLine(x, lhs, line) + ": nonterminal " + names[x]
            + " derives no finite string (each of its rules uses such a nonterminal): expected a rule that"
            + " terminates");
      }
    }
  }

  /**
   * Consistency by the expected-children matrix {@code M[X][Y] = sum_{X -> a} p * (number of Y in a)}:
   * the grammar is subcritical, {@code rho(M) < 1}, exactly when {@code x = (I - M)^-1 1} exists and is
   * positive (then x is the expected number of rule uses in a derivation from each nonterminal, and
   * {@code rho(M) <= 1 - 1/max x}). Critical grammars ({@code rho = 1}, including some consistent
   * ones) are rejected too, as are ones whose derivations average more than 1e9 rules.
   */
  private static void checkConsistent(String[] names, int[] lhs, int[][] rhs, double[] prob, String source) {
    int n = names.length;
    double[][] m = new double[n][n];
    double[][] a = new double[n][n];
    double[] ones = new double[n];
    for (int r = 0; r < lhs.length; r++) {
      for (int s : rhs[r]) {
        if (s >= 0) {
          m[lhs[r]][s] += prob[r];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      ones[i] = 1;
      for (int j = 0; j < n; j++) {
        a[i][j] = (i == j ? 1 : 0) - m[i][j];
      }
    }
    boolean subcritical;
    try {
      double[] x = LinearSystems.solve(a, ones, n);
      subcritical = Arrays.stream(x).allMatch(v -> v >= 1 - 1e-9 && v <= MAX_EXPECTED_RULES);
    } catch (ArithmeticException e) {
      subcritical = false;
    }
    if (!subcritical) {
      throw BadInputException.of(source + ": spectral radius of the expected-children matrix",
          String.format("%.6g", spectralRadius(m)), "< 1: otherwise probability escapes to infinite derivations"
              + " (the grammar is inconsistent or critical) and next-token probabilities do not sum to 1;"
              + " lower the probabilities of the recursive rules");
    }
  }

  /**
   * An upper bound on {@code rho(M)} that converges to it: the Collatz-Wielandt bound
   * {@code max_i (M v)_i / v_i} for the power iterate v of {@code (I + M) / 2} (positive, aperiodic).
   */
  private static double spectralRadius(double[][] m) {
    int n = m.length;
    double[] v = new double[n];
    Arrays.fill(v, 1);
    double bound = 0;
    for (int iteration = 0; iteration < 1000; iteration++) {
      double[] w = new double[n];
      bound = 0;
      double largest = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          w[i] += m[i][j] * v[j];
        }
        bound = Math.max(bound, w[i] / v[i]);
        w[i] = (w[i] + v[i]) / 2;
        largest = Math.max(largest, w[i]);
      }
      for (int i = 0; i < n; i++) {
        v[i] = w[i] / largest;
      }
    }
    return bound;
  }

  /** The chart of the prefix. */
  private final class State extends ExactState {
    private final EarleyChart chart;

    State() {
      super(tokenizer.vocabulary());
      chart = new EarleyChart(grammar);
    }

    State(State other) {
      super(other);
      chart = other.chart.copy();
    }

    @Override
    protected void probabilities(double[] out) {
      chart.probabilities(out);
    }

    @Override
    protected double probability(int token) {
      return chart.probability(token);
    }

    @Override
    protected void consume(int token) {
      chart.push(token);
    }

    @Override
    protected void restore(int length) {
      chart.truncate(length);
    }

    @Override
    public LmState fork() {
      return new State(this);
    }
  }
}
