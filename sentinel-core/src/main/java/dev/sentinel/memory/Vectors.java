package dev.sentinel.memory;

/** Checks and arithmetic on vectors shared by the memory's adapters. */
public final class Vectors {

  private Vectors() {}

  /** Rejects an empty vector, one with a non-finite component, or one of length zero. */
  static void requireUsable(float[] vector) {
    if (vector == null || vector.length == 0) {
      throw new IllegalArgumentException("a vector needs at least one dimension");
    }
    double squares = 0;
    for (float component : vector) {
      if (!Float.isFinite(component)) {
        throw new IllegalArgumentException("a vector's components must be finite");
      }
      squares += component * component;
    }
    if (squares == 0) {
      // Cosine similarity is undefined for the zero vector.
      throw new IllegalArgumentException("a vector must not be all zeros");
    }
  }

  /** Throws when {@code vector} does not have the memory's {@code dimensions}. */
  public static void requireDimensions(float[] vector, int dimensions) {
    if (vector.length != dimensions) {
      throw new IllegalArgumentException(
          "the vector has " + vector.length + " dimensions, the memory " + dimensions);
    }
  }

  /** The cosine similarity of two vectors of the same length, in [-1, 1]. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      normA += (double) a[i] * a[i];
      normB += (double) b[i] * b[i];
    }
    return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
  }
}
