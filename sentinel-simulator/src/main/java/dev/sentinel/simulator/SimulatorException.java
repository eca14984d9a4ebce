package dev.sentinel.simulator;

/** An operation the simulated fleet refuses: the message says which service and why. */
public class SimulatorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SimulatorException(String message) {
    super(message);
  }

  public SimulatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
