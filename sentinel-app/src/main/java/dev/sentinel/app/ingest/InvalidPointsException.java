package dev.sentinel.app.ingest;

import java.util.List;

/** A batch refused at the edge; nothing of it was accepted. Mapped to HTTP 400. */
public final class InvalidPointsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<PointError> errors;
  private final int errorCount;

  public InvalidPointsException(List<PointError> errors, int errorCount) {
    super(errorCount + " invalid point(s); first: " + errors.getFirst().message());
    this.errors = List.copyOf(errors);
    this.errorCount = errorCount;
  }

  /** A batch refused as a whole for one reason, e.g. a body that cannot be decoded. */
  public static InvalidPointsException of(String field, String message) {
    return new InvalidPointsException(List.of(new PointError(-1, field, message)), 1);
  }

  public List<PointError> errors() {
    return errors;
  }

  /** All errors found, of which {@link #errors()} holds the first few. */
  public int errorCount() {
    return errorCount;
  }
}
