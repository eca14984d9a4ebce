package dev.sentinel.simulator;

import java.util.List;

/** A request named a service the fleet does not have. */
public final class UnknownServiceException extends SimulatorException {

  private static final long serialVersionUID = 1L;

  private final String service;

  public UnknownServiceException(String service, List<String> known) {
    super("unknown service '" + service + "'; the fleet has " + String.join(", ", known));
    this.service = service;
  }

  public String service() {
    return service;
  }
}
