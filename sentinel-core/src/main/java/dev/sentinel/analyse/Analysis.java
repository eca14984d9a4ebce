package dev.sentinel.analyse;

import java.util.List;
import java.util.Objects;

/**
 * What an analyst concluded about an incident.
 *
 * @param summary one or two sentences for people
 * @param hypotheses candidate causes, most likely first (may be empty: cause unknown)
 * @param firstMover the series that left its expected range first, or {@code null}
 * @param analyst who analysed: {@code rules}, or a model name
 * @param precedents the similar resolved incidents the analysis drew on, most similar first
 */
public record Analysis(
    String summary,
    List<Hypothesis> hypotheses,
    String firstMover,
    String analyst,
    List<Precedent> precedents) {

  public Analysis {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(analyst, "analyst");
    hypotheses = List.copyOf(hypotheses);
    // Checkpoints written before precedents were kept have none.
    precedents = precedents == null ? List.of() : List.copyOf(precedents);
  }

  /** An analysis that drew on no earlier incident. */
  public Analysis(String summary, List<Hypothesis> hypotheses, String firstMover, String analyst) {
    this(summary, hypotheses, firstMover, analyst, List.of());
  }

  /** The most likely cause, if any. */
  public java.util.Optional<Hypothesis> likeliest() {
    return hypotheses.stream().findFirst();
  }
}
