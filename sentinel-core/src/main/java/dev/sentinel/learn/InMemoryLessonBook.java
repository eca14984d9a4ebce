package dev.sentinel.learn;

import dev.sentinel.verify.Recovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lessons in memory, for tests and for running without a state store. */
public final class InMemoryLessonBook implements LessonBook {

  private final Map<String, Lesson> lessons = new LinkedHashMap<>();

  @Override
  public synchronized void record(Lesson lesson) {
    lessons.put(lesson.incidentId() + "|" + lesson.cause() + "|" + lesson.operation(), lesson);
  }

  @Override
  public synchronized List<Lesson> forCause(String cause, int limit) {
    List<Lesson> found = new ArrayList<>();
    for (Lesson lesson : lessons.values().stream().toList().reversed()) {
      if (lesson.cause().equals(cause) && found.size() < limit) {
        found.add(lesson);
      }
    }
    return found;
  }

  @Override
  public synchronized int netSuccesses(String cause, String operation) {
    int net = 0;
    for (Lesson lesson : lessons.values()) {
      if (lesson.cause().equals(cause) && lesson.operation().equals(operation)) {
        net += lesson.recovery() == Recovery.RECOVERED ? 1 : -1;
      }
    }
    return net;
  }
}
