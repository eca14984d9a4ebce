package dev.sentinel.simulator;

/**
 * The simulator's state file could not be read or written. For a damaged file the message names the
 * file, the line and what is wrong with it.
 */
public final class StateFileException extends SimulatorException {

  private static final long serialVersionUID = 1L;

  public StateFileException(String message) {
    super(message);
  }

  public StateFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
