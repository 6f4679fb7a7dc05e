package org.fewstep.core;

/**
 * Seeded, splittable pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018) seeded
 * through SplitMix64, with float64 uniforms and Gaussians. The sequence is defined by this class
 * alone (StrictMath for the transcendental functions), so the same seed gives the same bits on every
 * JVM and machine.
 *
 * <p>Parallel or per-item work takes its own generator: {@link #split()} derives an independent
 * child, and {@link #stream(long, long)} gives item {@code index} a stream that does not depend on
 * how many other items there are (sample 3 of a batch of 4 equals sample 3 of a batch of 16).
 * A generator is not thread-safe; {@link #copy()} forks its exact state.
 */
public final class Rng {
  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private double spareGaussian;
  private boolean hasSpare;

  /** A generator whose state is derived from {@code seed} by SplitMix64. */
  public Rng(long seed) {
    long z = seed;
    z += 0x9E3779B97F4A7C15L;
    s0 = mix64(z);
    z += 0x9E3779B97F4A7C15L;
    s1 = mix64(z);
    z += 0x9E3779B97F4A7C15L;
    s2 = mix64(z);
    z += 0x9E3779B97F4A7C15L;
    s3 = mix64(z);
  }

  private Rng(Rng other) {
    s0 = other.s0;
    s1 = other.s1;
    s2 = other.s2;
    s3 = other.s3;
    spareGaussian = other.spareGaussian;
    hasSpare = other.hasSpare;
  }

  /** The generator of item {@code index} under {@code seed}: independent of the other items. */
  public static Rng stream(long seed, long index) {
    return new Rng(mix64(mix64(seed) ^ mix64(index + 0x632BE59BD9B4E019L)));
  }

  /** An independent child generator; this generator advances by one draw. */
  public Rng split() {
    return new Rng(nextLong());
  }

  /** A generator in exactly this generator's state (same future draws). */
  public Rng copy() {
    return new Rng(this);
  }

  /** 64 uniformly random bits. */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform integer in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw BadInputException.of("bound", bound, "a positive integer");
    }
    while (true) {
      long bits = nextLong() >>> 1;
      long value = bits % bound;
      if (bits - value + (bound - 1) >= 0) {
        return (int) value;
      }
    }
  }

  /**
   * Shuffles {@code a} in place, uniformly (Fisher-Yates from the end: for i = n-1 down to 1, swap a[i]
   * with a[nextInt(i + 1)]).
   */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** {@link #shuffle(int[])} for a list. */
  public <T> void shuffle(java.util.List<T> a) {
    for (int i = a.size() - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      T t = a.get(i);
      a.set(i, a.get(j));
      a.set(j, t);
    }
  }

  /** Standard normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1 = 1.0 - nextDouble(); // (0, 1]
    double u2 = nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double angle = 2.0 * Math.PI * u2;
    spareGaussian = r * StrictMath.sin(angle);
    hasSpare = true;
    return r * StrictMath.cos(angle);
  }

  /** Fills {@code out} with independent standard normal draws. */
  public void fillGaussian(double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = nextGaussian();
    }
  }

  /** SplitMix64's finaliser (Stafford variant 13): a bijective 64-bit mix. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
