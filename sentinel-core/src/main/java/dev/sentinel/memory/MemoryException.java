package dev.sentinel.memory;

/** The incident memory could not be read or written: its store is unreachable or refused. */
public class MemoryException extends RuntimeException {

  public MemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
