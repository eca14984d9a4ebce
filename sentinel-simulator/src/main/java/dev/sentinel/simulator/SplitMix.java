package dev.sentinel.simulator;

import java.util.random.RandomGenerator;

/**
 * The fleet's noise source: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), the algorithm behind {@link java.util.SplittableRandom}, with the same
 * increment and mixing function. A fleet therefore draws exactly the numbers it drew from {@code
 * new SplittableRandom(seed)}; unlike {@code SplittableRandom}, this generator's position is one
 * {@code long} that can be read and set, so a fleet rebuilt from a saved state carries on with the
 * same sequence.
 *
 * <p>Not thread-safe: {@link Fleet} guards it. Allocation-free, as the emit path needs.
 */
final class SplitMix implements RandomGenerator {

  /** The odd number closest to 2^64 divided by the golden ratio, SplittableRandom's default. */
  private static final long GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  SplitMix(long seed) {
    this.state = seed;
  }

  /** The position in the sequence: a generator set to it draws the numbers this one would. */
  long state() {
    return state;
  }

  void state(long position) {
    this.state = position;
  }

  @Override
  public long nextLong() {
    state += GAMMA;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
