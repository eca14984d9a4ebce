package dev.sentinel.memory;

/** An embedder could not embed a text: the model failed or the remote API refused or timed out. */
public class EmbeddingException extends RuntimeException {

  public EmbeddingException(String message) {
    super(message);
  }

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }
}
