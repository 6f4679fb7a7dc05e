package org.fewstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Table;
import org.fewstep.core.registry.Options;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.masked.LsdTraining;
import org.fewstep.text.masked.MaskedDecoder;
import org.fewstep.text.masked.MaskedDecoders;
import org.fewstep.text.masked.MaskedGeneration;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.masked.MaskedSample;
import org.fewstep.text.masked.MdmTraining;
import org.fewstep.text.model.HmmMaskedLm;

/**
 * The masked-diffusion decoding experiment behind {@code fewstep bench dllm}. The data come from an
 * HMM, whose exact masked model ({@link HmmMaskedLm}) is both one of the models decoded and the
 * reference every sample is scored against, whichever model produced it:
 * <ul>
 *   <li><b>NFE against likelihood</b> ({@link #nfeTable}): every row continues a prompt (the first
 *       tokens of an exact sample, one per row, the same for every decoder, so that greedy decoders
 *       do not give one sequence n times). For each decoder configuration: the mean NFE, the mean
 *       log-likelihood per token of the continuations given their prompts under the exact joint,
 *       with its standard error, its difference from the one-token-per-step decoder of the same
 *       model and temperature (greedy: {@code llada:steps=L}; temperature 1: {@code fhs}) paired by
 *       prompt, and the total variation between the empirical distribution of adjacent pairs
 *       {@code (x_i, x_i+1)}, pooled over the continuation, and the exact pooled pair marginal.
 *       Exact samples of the HMM give the reference row (and the noise floor of the pair TV).</li>
 *   <li><b>Exact TV</b> ({@link #tvTable}): at a length small enough to enumerate, the total variation
 *       between the empirical distribution of whole sequences and the exact joint, for the stochastic
 *       (temperature 1) decoders, with exact samples of the same size as the noise floor.</li>
 *   <li><b>Speed</b> ({@link #speed}): wall-clock of FHS against the time-stepped ancestral sampler
 *       with as many steps as positions, split into time in the model and time in the sampler.</li>
 * </ul>
 * LSD and LSD+ students are trained here, on the model being decoded, with {@link LsdTraining}.
 */
public final class DllmBenchmark {
  private final HmmMaskedLm exact;
  private final MaskedLm trained;
  private final int samples;
  private final long seed;
  private final int prompt;

  /** The label of the reference rows (exact samples of the HMM). */
  public static final String EXACT_SAMPLES = "exact samples";

  /**
   * @param exact   the exact masked model of the HMM that defines the data (the reference)
   * @param trained a trained model of the same vocabulary, or null for the exact model only
   * @param samples samples per configuration
   * @param seed    the seed of every configuration
   * @param prompt  the length of the prompt of every row of the NFE table: the first tokens of an exact
   *                sample, a different one per row and the same for every decoder (0: no prompt)
   */
  public DllmBenchmark(HmmMaskedLm exact, MaskedLm trained, int samples, long seed, int prompt) {
    this.exact = exact;
    this.trained = trained;
    this.samples = BadInputException.requireAtLeast("samples", samples, 2);
    this.seed = seed;
    this.prompt = BadInputException.requireAtLeast("prompt", prompt, 0);
    if (trained != null) {
      if (trained.vocabSize() != exact.vocabSize()
          || !trained.tokenizer().vocabulary().sameAs(exact.tokenizer().vocabulary())) {
        throw BadInputException.of("trained model " + trained.name(), "its vocabulary",
            "the vocabulary of " + exact.name() + " (it is scored against that HMM)");
      }
    }
  }

  /** The models decoded: the exact one, then the trained one if any. */
  public List<MaskedLm> models() {
    return trained == null ? List.of(exact) : List.of(exact, trained);
  }

  // ---------------------------------------------------------------------------------------------
  // the decoder grid

  /**
   * The default decoder grid for a length: fhs; mdm with L/8, L/4, L/2 and L steps; llada with L
   * (one token per step), L/2, L/4, L/8 steps; fast-dllm thresholds 0.99 .. 0.3 and factors 0.5 ..
   * 3; dparallel entropy thresholds 0.1 .. 1.7 nats; four localleap settings; saber with n = 2 and 4.
   * The block decoders and saber come at their reference temperature 0 and again at temperature 1.
   * The grid reaches below the reference thresholds, where decoders on an HMM's short-range
   * conditionals (a neighbour of a decoded token is about 0.92 certain in motif-hmm) start to commit
   * several tokens per step. Step
   * counts that do not fit the length (LLaDA's must be a multiple of the number of blocks) are left
   * out.
   */
  public static List<String> grid(int length) {
    List<String> out = new ArrayList<>();
    out.add("fhs");
    for (int d : new int[] {8, 4, 2, 1}) {
      if (length % d == 0) {
        out.add("mdm:steps=" + length / d);
      }
    }
    List<String> greedy = new ArrayList<>();
    int blocks = length / blockLength(length);
    for (int d : new int[] {1, 2, 4, 8}) {
      if (length % d == 0 && (length / d) % blocks == 0) {
        greedy.add("llada:steps=" + length / d);
      }
    }
    for (String t : new String[] {"0.99", "0.9", "0.7", "0.5", "0.4", "0.3"}) {
      greedy.add("fast-dllm:threshold=" + t);
    }
    for (String f : new String[] {"0.5", "1", "2", "3"}) {
      greedy.add("fast-dllm:factor=" + f);
    }
    for (String t : new String[] {"0.1", "0.5", "1.0", "1.3", "1.5", "1.7"}) {
      greedy.add("dparallel:threshold=" + t);
    }
    greedy.add("localleap:threshold=0.9,relaxed=0.75,radius=4");
    greedy.add("localleap:threshold=0.7,relaxed=0.5,radius=4");
    greedy.add("localleap:threshold=0.5,relaxed=0.4,radius=4");
    greedy.add("localleap:threshold=0.4,relaxed=0.3,radius=2");
    greedy.add("saber:n=2");
    greedy.add("saber:n=4");
    for (String g : greedy) {
      out.add(g);
      out.add(g + (g.contains(":") ? "," : ":") + "temperature=1");
    }
    return out;
  }

  /** The stochastic decoders of the exact-TV table at a tiny length (all at temperature 1). */
  public static List<String> tvGrid(int length) {
    List<String> out = new ArrayList<>();
    out.add("fhs");
    for (int steps : new int[] {1, 2, length / 2, length}) {
      if (steps >= 1 && !out.contains("mdm:steps=" + steps)) {
        out.add("mdm:steps=" + steps);
      }
    }
    int block = blockLength(length);
    for (int steps : new int[] {length, length / 2, 1}) {
      String spec = "llada:steps=" + steps + ",temperature=1";
      if (steps >= 1 && steps % (length / block) == 0 && !out.contains(spec)) {
        out.add(spec);
      }
    }
    for (String t : new String[] {"0.5", "0.4", "0.3"}) {
      out.add("fast-dllm:threshold=" + t + ",temperature=1");
    }
    out.add("fast-dllm:factor=2,temperature=1");
    out.add("dparallel:threshold=1.3,temperature=1");
    out.add("dparallel:threshold=1.5,temperature=1");
    out.add("localleap:threshold=0.5,relaxed=0.4,radius=4,temperature=1");
    out.add("saber:n=2,temperature=1");
    return out;
  }

  /** The block decoders' default block length: 32 where it divides the length, else the length. */
  private static int blockLength(int length) {
    return length % 32 == 0 ? 32 : length;
  }

  // ---------------------------------------------------------------------------------------------
  // NFE against likelihood

  /** One configuration of the NFE table. */
  public record Row(int length, String model, String decoder, double temperature, int samples, double nfe,
      double remasked, double logLik, double logLikSe, double delta, double deltaSe, double pairTv,
      double trainSeconds, double seconds) {

    /** Mean NFE as a fraction of the length. */
    public double nfeRatio() {
      return nfe / length;
    }
  }

  /** A decoder to run: its label in the tables, the spec that builds it, and LSD's training time. */
  private record Config(String label, String spec, double temperature, double trainSeconds) {}

  /**
   * Every configuration at one length, on every model: the exact samples first, then each model's
   * decoders ({@code specs}, then LSD and LSD+ students with {@code length / d} steps for each
   * {@code d} in {@code lsdDivisors}, trained on that model). Row r of every configuration continues
   * the same prompt (the first {@link #prompt} tokens of exact sample r) with its own random numbers.
   * Each finished row goes to {@code progress}.
   */
  public List<Row> nfeTable(int length, List<String> specs, int[] lsdDivisors, Consumer<Row> progress) {
    int total = prompt + length;
    for (MaskedLm model : models()) {
      if (total > model.maxLength()) {
        throw BadInputException.of("prompt + length", total, "at most " + model.maxLength() + " (the longest sequence "
            + model.name() + " takes)");
      }
    }
    long start = System.nanoTime();
    double[] pairs = exactPairs(total, prompt);
    List<int[]> full = exactSamples(total, samples);
    int[][] prompts = new int[samples][];
    double[] promptLogLik = new double[samples];
    List<int[]> reference = new ArrayList<>();
    for (int r = 0; r < samples; r++) {
      prompts[r] = java.util.Arrays.copyOf(full.get(r), prompt);
      promptLogLik[r] = logMarginal(prompts[r], total);
      reference.add(java.util.Arrays.copyOfRange(full.get(r), prompt, total));
    }
    Scorer scorer = new Scorer(prompts, promptLogLik, pairs);
    List<Row> rows = new ArrayList<>();
    Row ref = scorer.row(length, EXACT_SAMPLES, EXACT_SAMPLES, 1, reference, null, Double.NaN, seconds(start));
    rows.add(ref);
    progress.accept(ref);
    for (MaskedLm model : models()) {
      List<Row> own = new ArrayList<>();
      for (Config c : configs(model, length, specs, lsdDivisors)) {
        MaskedDecoder decoder = MaskedDecoders.create(c.spec());
        long t0 = System.nanoTime();
        List<MaskedSample> out = new ArrayList<>(samples);
        for (int r = 0; r < samples; r++) {
          out.add(MaskedGeneration.of(model, decoder).prompt(prompts[r]).length(length).rows(1)
              .seed(rowSeed(r)).run().get(0));
        }
        double seconds = seconds(t0);
        List<int[]> tokens = out.stream().map(MaskedSample::tokens).toList();
        Row r = scorer.row(length, model.name(), c.label(), c.temperature(), tokens, out, c.trainSeconds(), seconds);
        own.add(r);
        progress.accept(r);
      }
      rows.addAll(withDeltas(own, length, scorer.perRow));
    }
    return rows;
  }

  /** The seed of row r of the NFE table (its random numbers are {@code Rng.stream(rowSeed(r), 0)}). */
  private long rowSeed(int r) {
    return Rng.mix64(seed) + r;
  }

  /**
   * {@code log P(x_0 .. x_p-1 = prompt)} under the exact joint of {@code total} symbols, by the chain
   * rule with the exact masked model: {@code sum_i log p(x_i | x_<i, the rest masked)}.
   */
  double logMarginal(int[] promptTokens, int total) {
    int vocab = exact.vocabSize();
    int[] x = new int[total];
    java.util.Arrays.fill(x, exact.maskId());
    double[] out = new double[vocab];
    double sum = 0;
    for (int i = 0; i < promptTokens.length; i++) {
      exact.logits(new int[][] {x}, i, i + 1, new double[][] {out});
      sum += out[promptTokens[i]];
      x[i] = promptTokens[i];
    }
    return sum;
  }

  /** Scores the continuations of the prompts of one length. */
  private final class Scorer {
    private final int[][] prompts;
    private final double[] promptLogLik;
    private final double[] pairs;
    /** The per-row log-likelihoods per token of every row made, for paired differences. */
    final Map<Row, double[]> perRow = new java.util.IdentityHashMap<>();

    Scorer(int[][] prompts, double[] promptLogLik, double[] pairs) {
      this.prompts = prompts;
      this.promptLogLik = promptLogLik;
      this.pairs = pairs;
    }

    /**
     * A row of the table: the log-likelihood per token of each continuation given its prompt under
     * the exact joint, {@code (log P(prompt ++ x) - log P(prompt)) / L}, and the pair TV.
     */
    Row row(int length, String model, String decoder, double temperature, List<int[]> tokens, List<MaskedSample> out,
        double trainSeconds, double seconds) {
      double[] ll = new double[tokens.size()];
      for (int k = 0; k < ll.length; k++) {
        int[] full = java.util.Arrays.copyOf(prompts[k], prompt + length);
        System.arraycopy(tokens.get(k), 0, full, prompt, length);
        ll[k] = (exact.logJoint(full) - promptLogLik[k]) / length;
      }
      double nfe = out == null ? Double.NaN : out.stream().mapToInt(MaskedSample::nfe).average().orElse(Double.NaN);
      double remasked = out == null ? Double.NaN : out.stream().mapToInt(MaskedSample::remasked).average().orElse(Double.NaN);
      Row row = new Row(length, model, decoder, temperature, tokens.size(), nfe, remasked, mean(ll), standardError(ll),
          Double.NaN, Double.NaN, pairTv(tokens, pairs), trainSeconds, seconds);
      perRow.put(row, ll);
      return row;
    }
  }

  /** The configurations of one model: the specs, then the trained LSD students. */
  private List<Config> configs(MaskedLm model, int length, List<String> specs, int[] lsdDivisors) {
    List<Config> out = new ArrayList<>();
    for (String spec : specs) {
      out.add(new Config(spec, spec, temperature(spec), Double.NaN));
    }
    for (int d : lsdDivisors) {
      if (length % d == 0 && length / d >= 1) {
        out.addAll(lsd(model, length, length / d));
      }
    }
    return out;
  }

  /** LSD and LSD+ students of {@code steps} steps, trained on {@code model} at {@code length}. */
  private List<Config> lsd(MaskedLm model, int length, int steps) {
    List<Config> out = new ArrayList<>();
    for (boolean plus : new boolean[] {false, true}) {
      long t0 = System.nanoTime();
      LsdTraining.Result trainedLsd = new LsdTraining().seed(seed).learnTimes(plus).train(model, steps, length);
      double trainSeconds = seconds(t0);
      String file = save(trainedLsd);
      out.add(new Config((plus ? "lsd+" : "lsd") + " M=" + steps, "lsd:" + file, 1, trainSeconds));
    }
    return out;
  }

  /** Writes learned LSD parameters to a temporary file (the {@code lsd} decoder reads a file). */
  private static String save(LsdTraining.Result result) {
    try {
      Path file = Files.createTempFile("fewstep-bench-lsd", ".json");
      file.toFile().deleteOnExit();
      result.parameters().save(file);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a temporary LSD file", e);
    }
  }

  /** The temperature a spec decodes at (its own or its decoder's default). */
  static double temperature(String spec) {
    return MaskedDecoders.registry().parse(spec).getDouble("temperature");
  }

  /**
   * The rows of one model with their likelihood difference from the one-token-per-step decoder of
   * that model at the same temperature: {@code llada:steps=L} (or plain {@code llada}) at temperature
   * 0, {@code fhs} at temperature 1. The standard error of the difference is that of the mean of the
   * per-row differences: row r of both continues the same prompt.
   */
  private static List<Row> withDeltas(List<Row> rows, int length, Map<Row, double[]> perRow) {
    Row greedy = null;
    Row sampling = null;
    for (Row r : rows) {
      if (isGreedyBaseline(r.decoder(), length)) {
        greedy = r;
      } else if (isSamplingBaseline(r.decoder())) {
        sampling = r;
      }
    }
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      Row base = r.temperature() == 0 ? greedy : r.temperature() == 1 ? sampling : null;
      if (base == null) {
        out.add(r);
      } else {
        double[] a = perRow.get(r);
        double[] b = perRow.get(base);
        double[] difference = new double[a.length];
        for (int k = 0; k < a.length; k++) {
          difference[k] = a[k] - b[k];
        }
        out.add(new Row(r.length(), r.model(), r.decoder(), r.temperature(), r.samples(), r.nfe(), r.remasked(),
            r.logLik(), r.logLikSe(), mean(difference), standardError(difference), r.pairTv(), r.trainSeconds(),
            r.seconds()));
      }
    }
    return out;
  }

  static boolean isGreedyBaseline(String spec, int length) {
    if (!spec.startsWith("llada")) {
      return false;
    }
    Options o = MaskedDecoders.registry().parse(spec);
    return o.getDouble("temperature") == 0 && o.get("remasking").equals("low-confidence")
        && (!o.isSet("steps") || o.getInt("steps") == length);
  }

  static boolean isSamplingBaseline(String spec) {
    if (!spec.startsWith("fhs")) {
      return false;
    }
    Options o = MaskedDecoders.registry().parse(spec);
    return o.getDouble("temperature") == 1;
  }

  /** {@code n} exact samples of the HMM's joint of {@code length} symbols (row r from its own stream). */
  List<int[]> exactSamples(int length, int n) {
    List<int[]> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      out.add(exact.sample(length, Rng.stream(seed ^ 0x5EED5EEDL, r)));
    }
    return out;
  }

  /**
   * The exact pair marginal of the joint of {@code total} symbols pooled over the positions from
   * {@code first} on: {@code P(a, b) = 1/(total-first-1) sum_i p(x_i = a) p(x_i+1 = b | x_i = a)},
   * by the chain rule with the exact masked model (an all-masked sequence gives {@code p(x_i)}; the
   * same with {@code x_i = a} gives {@code p(x_i+1 | x_i = a)}). Entry {@code a * V + b} over the
   * HMM's V symbols; at least two positions from {@code first} on.
   */
  public double[] exactPairs(int total, int first) {
    BadInputException.requireAtLeast("length", total - first, 2);
    int symbols = exact.symbols();
    int vocab = exact.vocabSize();
    int[] x = new int[total];
    java.util.Arrays.fill(x, exact.maskId());
    double[] marginals = new double[total * vocab];
    exact.logits(new int[][] {x}, 0, total, new double[][] {marginals});
    double[] pairs = new double[symbols * symbols];
    double[] next = new double[vocab];
    for (int i = first; i + 1 < total; i++) {
      for (int a = 0; a < symbols; a++) {
        double pa = Math.exp(marginals[i * vocab + a]);
        if (pa == 0) {
          continue;
        }
        x[i] = a;
        exact.logits(new int[][] {x}, i + 1, i + 2, new double[][] {next});
        for (int b = 0; b < symbols; b++) {
          pairs[a * symbols + b] += pa * Math.exp(next[b]);
        }
      }
      x[i] = exact.maskId();
    }
    for (int k = 0; k < pairs.length; k++) {
      pairs[k] /= total - first - 1;
    }
    return pairs;
  }

  /** TV between the empirical adjacent-pair distribution of {@code tokens} (pooled) and {@code pairs}. */
  double pairTv(List<int[]> tokens, double[] pairs) {
    int symbols = exact.symbols();
    double[] counts = new double[pairs.length];
    long total = 0;
    for (int[] x : tokens) {
      for (int i = 0; i + 1 < x.length; i++) {
        if (x[i] < symbols && x[i + 1] < symbols) {
          counts[x[i] * symbols + x[i + 1]]++;
        }
        total++;
      }
    }
    double tv = 0;
    double seen = 0;
    for (int k = 0; k < pairs.length; k++) {
      double p = counts[k] / total;
      seen += p;
      tv += Math.abs(p - pairs[k]);
    }
    // pairs with a token the HMM never emits count fully
    return (tv + (1 - seen)) / 2;
  }

  // ---------------------------------------------------------------------------------------------
  // exact TV at a tiny length

  /** One configuration of the exact-TV table. */
  public record TvRow(int length, String model, String decoder, int samples, double nfe, double tv,
      double trainSeconds, double seconds) {}

  /**
   * The total variation to the exact joint of {@code length} symbols of {@code n} samples of each
   * decoder of {@code specs} on every model (plus LSD and LSD+ with {@code floor(length / 2)} steps), and of
   * {@code n} exact samples (the noise floor).
   */
  public List<TvRow> tvTable(int length, int n, List<String> specs, boolean lsd, Consumer<TvRow> progress) {
    double[] joint = exact.joint(length);
    List<TvRow> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    List<int[]> reference = exactSamples(length, n);
    TvRow ref = new TvRow(length, EXACT_SAMPLES, EXACT_SAMPLES, n, Double.NaN, tv(reference, joint), Double.NaN, seconds(t0));
    rows.add(ref);
    progress.accept(ref);
    for (MaskedLm model : models()) {
      List<Config> configs = new ArrayList<>();
      for (String spec : specs) {
        configs.add(new Config(spec, spec, temperature(spec), Double.NaN));
      }
      if (lsd && length >= 2) {
        configs.addAll(lsd(model, length, length / 2));
      }
      for (Config c : configs) {
        long start = System.nanoTime();
        List<MaskedSample> out = MaskedGeneration.of(model, MaskedDecoders.create(c.spec())).length(length).rows(n)
            .seed(seed).run();
        double seconds = seconds(start);
        TvRow r = new TvRow(length, model.name(), c.label(), n, out.stream().mapToInt(MaskedSample::nfe).average().orElse(0),
            tv(out.stream().map(MaskedSample::tokens).toList(), joint), c.trainSeconds(), seconds);
        rows.add(r);
        progress.accept(r);
      }
    }
    return rows;
  }

  private double tv(List<int[]> tokens, double[] joint) {
    double[] counts = new double[joint.length];
    int outside = 0;
    for (int[] x : tokens) {
      boolean ok = true;
      for (int t : x) {
        ok &= t < exact.symbols();
      }
      if (ok) {
        counts[exact.index(x)]++;
      } else {
        outside++;
      }
    }
    double tv = (double) outside / tokens.size();
    for (int k = 0; k < joint.length; k++) {
      tv += Math.abs(counts[k] / tokens.size() - joint[k]);
    }
    return tv / 2;
  }

  /** A log-linear model trained here and its training time. */
  public record Trained(MaskedLm model, double seconds) {}

  /**
   * A log-linear masked predictor trained with {@link MdmTraining} (its defaults, which are those of
   * {@code motif-loglinear}: window 4, 2000 steps of 32 sequences, seed 1) on exact samples of
   * {@code length} symbols; named {@code loglinear-<length>}.
   */
  public static Trained trainLogLinear(HmmMaskedLm exact, int length) {
    long t0 = System.nanoTime();
    MaskedLm model = MdmTraining.train(exact.tokenizer(), rng -> exact.sample(length, rng),
        MdmTraining.Options.defaults().length(length)).named("loglinear-" + length);
    return new Trained(model, seconds(t0));
  }

  // ---------------------------------------------------------------------------------------------
  // speed

  /** One wall-clock measurement (seconds per sample). */
  public record SpeedRow(int length, String model, String decoder, int samples, double nfe, double wall,
      double modelSeconds, double samplerSeconds, double slowdown, double trainSeconds) {}

  /**
   * Wall-clock per sample of {@code fhs}, {@code mdm:steps=L} (with the upstream caching) and
   * {@code mdm:steps=L,caching=false} at {@code length}, on the exact model and on a log-linear
   * model trained here ({@link #trainLogLinear} at that length). Every
   * decoder runs once on two samples first (JIT warm-up). The model's share is timed around its
   * {@code logits} calls; the rest is the sampler's. {@code slowdown}: wall time over FHS's on the
   * same model.
   */
  public List<SpeedRow> speed(int length, int n, Consumer<SpeedRow> progress) {
    BadInputException.requireAtLeast("speed length", length, 1);
    Trained t = trainLogLinear(exact, length);
    MaskedLm logLinear = t.model();
    double trainSeconds = t.seconds();
    List<String> specs = List.of("fhs", "mdm:steps=" + length, "mdm:steps=" + length + ",caching=false");
    List<SpeedRow> rows = new ArrayList<>();
    for (MaskedLm model : List.of(exact, logLinear)) {
      for (String spec : specs) {
        MaskedGeneration.of(model, MaskedDecoders.create(spec)).length(length).rows(2).seed(seed + 7).run();
      }
      double fhsWall = Double.NaN;
      for (String spec : specs) {
        TimedLm timed = new TimedLm(model);
        long start = System.nanoTime();
        List<MaskedSample> out = MaskedGeneration.of(timed, MaskedDecoders.create(spec)).length(length).rows(n)
            .seed(seed).batch(1).run();
        double wall = seconds(start) / n;
        double modelSeconds = timed.nanos / 1e9 / n;
        if (spec.equals("fhs")) {
          fhsWall = wall;
        }
        SpeedRow r = new SpeedRow(length, model.name(), spec, n,
            out.stream().mapToInt(MaskedSample::nfe).average().orElse(0), wall, modelSeconds, wall - modelSeconds,
            wall / fhsWall, model == logLinear ? trainSeconds : Double.NaN);
        rows.add(r);
        progress.accept(r);
      }
    }
    return rows;
  }

  /** A model that adds up the time spent in its delegate's {@code logits}. Not thread-safe. */
  private static final class TimedLm implements MaskedLm {
    private final MaskedLm delegate;
    long nanos;

    TimedLm(MaskedLm delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Tokenizer tokenizer() {
      return delegate.tokenizer();
    }

    @Override
    public int vocabSize() {
      return delegate.vocabSize();
    }

    @Override
    public int maskId() {
      return delegate.maskId();
    }

    @Override
    public int maxLength() {
      return delegate.maxLength();
    }

    @Override
    public void logits(int[][] x, int from, int to, double[][] out) {
      long start = System.nanoTime();
      delegate.logits(x, from, to, out);
      nanos += System.nanoTime() - start;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // summary and tables

  /** The fewest-NFE configuration of one decoder family at equal likelihood. */
  public record Best(int length, String model, double temperature, String family, String decoder, double nfe,
      double nfeRatio, double delta, double deltaSe, double pairTv, boolean goal) {}

  /** The smallest tolerance of {@link #equalLikelihood}, in nats per token. */
  public static final double TOLERANCE = 0.001;

  /**
   * Whether a row decodes at equal likelihood with its one-token-per-step baseline, within
   * {@code max(2 se, 0.001)} nats per token (se: the standard error of the paired difference):
   * greedy (temperature 0) rows may not fall below {@code llada:steps=L} by more (higher is no loss
   * for a mode-seeking decoder); temperature-1 rows must lie that close to {@code fhs} on either side.
   */
  public static boolean equalLikelihood(Row r) {
    if (Double.isNaN(r.delta())) {
      return false;
    }
    double tolerance = Math.max(2 * r.deltaSe(), TOLERANCE);
    return r.temperature() == 0 ? r.delta() >= -tolerance : Math.abs(r.delta()) <= tolerance;
  }

  /** The family of a decoder label: its component name, or lsd / lsd+. */
  static String family(String decoder) {
    int colon = decoder.indexOf(':');
    int space = decoder.indexOf(' ');
    int end = colon < 0 ? space < 0 ? decoder.length() : space : colon;
    return decoder.substring(0, end);
  }

  /**
   * For every length, model, temperature (0 and 1) and decoder family, the configuration of fewest
   * mean NFE at equal likelihood ({@link #equalLikelihood}), or {@code none} where no configuration
   * of the family is; {@code goal}: at most 20 % of the length.
   */
  public static List<Best> summary(List<Row> rows) {
    Map<String, Best> best = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.decoder().equals(EXACT_SAMPLES) || Double.isNaN(r.delta())) {
        continue;
      }
      String family = family(r.decoder());
      String key = r.length() + "|" + r.model() + "|" + r.temperature() + "|" + family;
      Best old = best.get(key);
      if (!equalLikelihood(r)) {
        if (old == null) {
          best.put(key, new Best(r.length(), r.model(), r.temperature(), family, "none", Double.NaN, Double.NaN,
              Double.NaN, Double.NaN, Double.NaN, false));
        }
      } else if (old == null || Double.isNaN(old.nfe()) || r.nfe() < old.nfe()) {
        best.put(key, new Best(r.length(), r.model(), r.temperature(), family, r.decoder(), r.nfe(), r.nfeRatio(),
            r.delta(), r.deltaSe(), r.pairTv(), r.nfeRatio() <= 0.2));
      }
    }
    return new ArrayList<>(best.values());
  }

  public static Table table(List<Row> rows) {
    Table t = new Table("length", "model", "decoder", "T", "n", "NFE", "NFE/L", "remasked", "loglik/token", "± se",
        "Δ vs 1x", "± se Δ", "equal", "pair TV", "train s", "seconds");
    t.doubleFormat("%.4f");
    for (Row r : rows) {
      t.add(r.length(), r.model(), r.decoder(), temperatureText(r.temperature()), r.samples(), fmt("%.1f", r.nfe()),
          fmt("%.3f", r.nfeRatio()), fmt("%.2f", r.remasked()), r.logLik(), r.logLikSe(), r.delta(), r.deltaSe(),
          Double.isNaN(r.delta()) ? "" : equalLikelihood(r) ? "yes" : "no", r.pairTv(), fmt("%.2f", r.trainSeconds()),
          fmt("%.3f", r.seconds()));
    }
    return t;
  }

  public static Table summaryTable(List<Best> rows) {
    Table t = new Table("length", "model", "T", "family", "fewest NFE at equal likelihood", "NFE", "NFE/L",
        "Δ vs 1x", "± se Δ", "pair TV", "<= 20%");
    t.doubleFormat("%.4f");
    for (Best b : rows) {
      boolean none = Double.isNaN(b.nfe());
      t.add(b.length(), b.model(), temperatureText(b.temperature()), b.family(), b.decoder(), fmt("%.1f", b.nfe()),
          fmt("%.3f", b.nfeRatio()), none ? "" : fmt("%.4f", b.delta()), none ? "" : fmt("%.4f", b.deltaSe()),
          none ? "" : fmt("%.4f", b.pairTv()), none ? "" : b.goal() ? "yes" : "no");
    }
    return t;
  }

  public static Table tvTable(List<TvRow> rows) {
    Table t = new Table("length", "model", "decoder", "n", "NFE", "TV to exact joint", "train s", "seconds");
    t.doubleFormat("%.4f");
    for (TvRow r : rows) {
      t.add(r.length(), r.model(), r.decoder(), r.samples(), fmt("%.2f", r.nfe()), r.tv(), fmt("%.2f", r.trainSeconds()),
          fmt("%.3f", r.seconds()));
    }
    return t;
  }

  public static Table speedTable(List<SpeedRow> rows) {
    Table t = new Table("length", "model", "decoder", "n", "NFE", "wall s/sample", "model s/sample",
        "sampler s/sample", "wall / fhs", "model train s");
    t.doubleFormat("%.4f");
    for (SpeedRow r : rows) {
      t.add(r.length(), r.model(), r.decoder(), r.samples(), fmt("%.1f", r.nfe()), r.wall(), r.modelSeconds(),
          r.samplerSeconds(), fmt("%.2f", r.slowdown()), fmt("%.2f", r.trainSeconds()));
    }
    return t;
  }

  /** A temperature as written in a spec: 0, 1, 0.5. */
  private static String temperatureText(double t) {
    return t == Math.rint(t) ? String.valueOf((long) t) : String.valueOf(t);
  }

  /** A number in a fixed format, or empty where it does not apply (NaN). */
  private static String fmt(String format, double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double standardError(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1) / v.length);
  }
}
