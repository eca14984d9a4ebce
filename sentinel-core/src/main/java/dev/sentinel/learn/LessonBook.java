package dev.sentinel.learn;

import dev.sentinel.plan.OutcomeHistory;
import java.util.List;

/**
 * Every lesson learnt, which the planner reads as {@link OutcomeHistory}. Thread-safe; recording
 * the same incident, cause and operation twice keeps one lesson (workflow steps may re-run).
 */
public interface LessonBook extends OutcomeHistory {

  void record(Lesson lesson);

  List<Lesson> forCause(String cause, int limit);
}
