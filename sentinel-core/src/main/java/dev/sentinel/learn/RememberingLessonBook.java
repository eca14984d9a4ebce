package dev.sentinel.learn;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentDescription;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.verify.Recovery;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lesson book that also puts every lesson into the incident memory as a resolution: the
 * incident's description (its vector, so that a later incident that reads the same finds it) with
 * the root cause, the action and how it turned out (its payload, so that the analyst can prefer
 * what worked). One document per incident and operation, so a re-run step replaces it.
 *
 * <p>The lesson is always kept in the delegate first; a failing embedder or memory is logged and
 * costs only the resolution's recall later.
 */
public final class RememberingLessonBook implements LessonBook {

  private static final Logger log = LoggerFactory.getLogger(RememberingLessonBook.class);

  private final LessonBook lessons;
  private final IncidentStore incidents;
  private final Embedder embedder;
  private final IncidentMemory memory;

  public RememberingLessonBook(
      LessonBook lessons, IncidentStore incidents, Embedder embedder, IncidentMemory memory) {
    this.lessons = lessons;
    this.incidents = incidents;
    this.embedder = embedder;
    this.memory = memory;
  }

  @Override
  public void record(Lesson lesson) {
    lessons.record(lesson);
    try {
      Optional<Incident> incident = incidents.find(lesson.incidentId());
      if (incident.isPresent()) {
        memory.upsert(resolution(incident.get(), lesson));
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not remember the resolution of incident {}: {}",
          lesson.incidentId(),
          e.getMessage(),
          e);
    }
  }

  private MemoryDocument resolution(Incident incident, Lesson lesson) {
    String description = IncidentDescription.of(incident);
    String outcome = outcome(lesson.recovery());
    String text =
        description
            + " Root cause: "
            + lesson.cause()
            + ". Action: "
            + lesson.operation()
            + " ("
            + outcome
            + ").";
    Map<String, String> payload = new HashMap<>();
    payload.put("incidentId", incident.id());
    payload.put("cause", lesson.cause());
    payload.put("operation", lesson.operation());
    payload.put("outcome", outcome);
    payload.put("at", Long.toString(lesson.atMillis()));
    if (lesson.service() != null) {
      payload.put("service", lesson.service());
    }
    return new MemoryDocument(
        "resolution:" + incident.id() + ":" + lesson.operation(),
        MemoryKind.RESOLUTION,
        text,
        embedder.embed(description),
        payload);
  }

  /** {@code recovered}, {@code unchanged} or {@code worse}: how the action turned out. */
  public static String outcome(Recovery recovery) {
    return recovery.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<Lesson> forCause(String cause, int limit) {
    return lessons.forCause(cause, limit);
  }

  @Override
  public int netSuccesses(String cause, String operation) {
    return lessons.netSuccesses(cause, operation);
  }
}
