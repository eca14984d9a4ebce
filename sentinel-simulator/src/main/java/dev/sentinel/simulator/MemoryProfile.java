package dev.sentinel.simulator;

/**
 * How one replica of a service uses memory.
 *
 * @param baseBytes resident memory just after a collection
 * @param limitBytes the container limit; memory never reports above it
 * @param garbageBytes how much garbage builds up between two collections (the sawtooth's height)
 * @param collectionPeriodMillis time between two collections (the sawtooth's period)
 */
public record MemoryProfile(
    long baseBytes, long limitBytes, long garbageBytes, long collectionPeriodMillis) {

  public MemoryProfile {
    if (baseBytes <= 0 || garbageBytes < 0 || collectionPeriodMillis <= 0) {
      throw new IllegalArgumentException(
          "memory sizes and collection period must be positive: "
              + baseBytes
              + ", "
              + garbageBytes
              + ", "
              + collectionPeriodMillis);
    }
    if (baseBytes + garbageBytes >= limitBytes) {
      throw new IllegalArgumentException(
          "memory limit "
              + limitBytes
              + " must exceed base plus garbage "
              + (baseBytes + garbageBytes));
    }
  }
}
