package dev.sentinel.llm;

import java.util.List;

/** Runbook sections that match a query. Read-only; none are configured by default. */
public interface Runbooks {

  /** At most {@code limit} sections, best match first. */
  List<String> sections(String query, int limit);

  static Runbooks none() {
    return (query, limit) -> List.of();
  }
}
