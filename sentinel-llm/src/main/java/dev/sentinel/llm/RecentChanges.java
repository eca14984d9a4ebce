package dev.sentinel.llm;

import dev.sentinel.analyse.CaseFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deployments and other changes to the affected service, newest first. Read-only. */
public interface RecentChanges {

  /** At most {@code limit} one-line changes. */
  List<String> changes(CaseFile file, int limit);

  /**
   * The change the executor reports in the target's state ({@code version}, {@code
   * previousVersion}, {@code changedAtMillis}, as the simulator's describe gives them); a
   * Kubernetes rollout history can replace it.
   */
  static RecentChanges fromTargetState() {
    return (file, limit) -> {
      Map<String, String> state = file.targetState();
      List<String> changes = new ArrayList<>();
      String changedAt = state.get("changedAtMillis");
      if (changedAt != null && limit > 0) {
        String when;
        try {
          when = Instant.ofEpochMilli(Long.parseLong(changedAt)).toString();
        } catch (NumberFormatException e) {
          when = changedAt;
        }
        changes.add(
            "version changed to "
                + state.getOrDefault("version", "?")
                + " from "
                + state.getOrDefault("previousVersion", "?")
                + " at "
                + when);
      }
      return changes;
    };
  }
}
