package org.fewstep.text.masked;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Runs a {@link MaskedDecoder} on rows of {@code prompt ++ [MASK] * length}: every round, each
 * unfinished row asks for the logits of some positions, rows asking for the same positions share one
 * batched model call (up to {@code batch} rows), and each row steps on its logits. Rows finish at
 * different steps. With a decoder that asks for a key/value cache the model must be a
 * {@link CachedMaskedLm}; each row then has its own cache, refreshed by a full forward pass whenever
 * its current block changes (and every {@link MaskedDecoder#refreshEvery} steps if set).
 *
 * <p>Row r draws from {@code Rng.stream(seed, r)}, so a row's output does not depend on the batch.
 */
public final class MaskedGeneration {
  private final MaskedLm model;
  private final MaskedDecoder decoder;
  private int[] prompt = new int[0];
  private int length = 16;
  private int rows = 1;
  private long seed;
  private int batch = 16;
  private MaskedListener listener = MaskedListener.NONE;

  private MaskedGeneration(MaskedLm model, MaskedDecoder decoder) {
    this.model = model;
    this.decoder = decoder;
  }

  /** A generation of {@code model} with {@code decoder}: 1 row of 16 tokens, seed 0, no prompt. */
  public static MaskedGeneration of(MaskedLm model, MaskedDecoder decoder) {
    return new MaskedGeneration(model, decoder);
  }

  /** Tokens before the generated region (never masked). */
  public MaskedGeneration prompt(int[] tokens) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] >= model.vocabSize()) {
        throw BadInputException.of("prompt[" + i + "]", tokens[i], "a token id in [0, " + model.vocabSize() + ")");
      }
    }
    this.prompt = tokens.clone();
    return this;
  }

  /** How many tokens to generate. */
  public MaskedGeneration length(int length) {
    this.length = BadInputException.requireAtLeast("length", length, 1);
    return this;
  }

  /** How many rows (samples). */
  public MaskedGeneration rows(int rows) {
    this.rows = BadInputException.requireAtLeast("rows", rows, 1);
    return this;
  }

  public MaskedGeneration seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The most rows in one model call. */
  public MaskedGeneration batch(int batch) {
    this.batch = BadInputException.requireAtLeast("batch", batch, 1);
    return this;
  }

  public MaskedGeneration listener(MaskedListener listener) {
    this.listener = listener;
    return this;
  }

  /** Decodes every row. */
  public List<MaskedSample> run() {
    int total = prompt.length + length;
    if (total > model.maxLength()) {
      throw BadInputException.of("prompt + length", total, "at most " + model.maxLength() + " (the longest sequence " + model.name() + " takes)");
    }
    CacheMode mode = decoder.cache();
    if (mode != CacheMode.NONE && !(model instanceof CachedMaskedLm)) {
      throw BadInputException.of(decoder.spec() + ": cache", mode.name().toLowerCase(java.util.Locale.ROOT),
          "none: " + model.name() + " has no key/value cache");
    }
    MaskedLm model = this.model;
    if (decoder.guidance() > 0) {
      if (prompt.length == 0) {
        throw BadInputException.of(decoder.spec() + ": cfg", decoder.guidance(), "0 without a prompt (guidance masks the prompt)");
      }
      if (mode != CacheMode.NONE) {
        throw BadInputException.of(decoder.spec() + ": cfg", decoder.guidance(), "0 with a cache (the unconditional rows have none)");
      }
      model = new GuidedMaskedLm(model, prompt.length, decoder.guidance());
    }
    MaskedRun[] runs = new MaskedRun[rows];
    for (int r = 0; r < rows; r++) {
      int[] x = Arrays.copyOf(prompt, total);
      Arrays.fill(x, prompt.length, total, model.maskId());
      runs[r] = decoder.start(model, x, prompt.length, total, Rng.stream(seed, r), r, listener);
    }
    int[] fullForwards = mode == CacheMode.NONE ? null : runCached(runs, (CachedMaskedLm) model, mode);
    if (mode == CacheMode.NONE) {
      runBatched(model, runs);
    }
    List<MaskedSample> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      MaskedRun run = runs[r];
      int full = mode == CacheMode.NONE ? run.nfe() : fullForwards[r];
      out.add(new MaskedSample(r, Arrays.copyOfRange(run.tokens(), prompt.length, total), run.nfe(), full, run.remasked()));
    }
    return out;
  }

  private void runBatched(MaskedLm model, MaskedRun[] runs) {
    int vocab = model.vocabSize();
    double[][] buffers = new double[runs.length][0];
    while (true) {
      Map<Long, List<Integer>> groups = new LinkedHashMap<>();
      for (int r = 0; r < runs.length; r++) {
        if (!runs[r].done()) {
          long key = ((long) runs[r].from() << 32) | runs[r].to();
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
      }
      if (groups.isEmpty()) {
        return;
      }
      for (List<Integer> group : groups.values()) {
        for (int lo = 0; lo < group.size(); lo += batch) {
          int count = Math.min(batch, group.size() - lo);
          int[][] xs = new int[count][];
          double[][] outs = new double[count][];
          MaskedRun first = runs[group.get(lo)];
          int from = first.from();
          int to = first.to();
          for (int k = 0; k < count; k++) {
            int r = group.get(lo + k);
            xs[k] = runs[r].tokens();
            outs[k] = buffer(buffers, r, (to - from) * vocab);
          }
          model.logits(xs, from, to, outs);
          for (int k = 0; k < count; k++) {
            runs[group.get(lo + k)].accept(outs[k]);
          }
        }
      }
    }
  }

  /** Runs every row with its own cache; returns the full forward passes per row. */
  private int[] runCached(MaskedRun[] runs, CachedMaskedLm cached, CacheMode mode) {
    int vocab = model.vocabSize();
    int[] fullForwards = new int[runs.length];
    for (int r = 0; r < runs.length; r++) {
      MaskedRun run = runs[r];
      int total = run.tokens().length;
      CachedMaskedLm.Cache cache = cached.newCache(total);
      double[] out = new double[total * vocab];
      int cachedBlock = -1;
      int sinceRefresh = 0;
      while (!run.done()) {
        int from = run.from();
        int to = run.to();
        boolean refresh = from != cachedBlock
            || (decoder.refreshEvery() > 0 && sinceRefresh >= decoder.refreshEvery());
        if (refresh) {
          cached.refresh(cache, run.tokens(), from, to, out);
          fullForwards[r]++;
          cachedBlock = from;
          sinceRefresh = 0;
        } else {
          cached.logitsCached(cache, run.tokens(), from, mode == CacheMode.PREFIX ? total : to, out);
        }
        sinceRefresh++;
        run.accept(out);
      }
    }
    return fullForwards;
  }

  private static double[] buffer(double[][] buffers, int r, int size) {
    if (buffers[r].length < size) {
      buffers[r] = new double[size];
    }
    return buffers[r];
  }
}
