package dev.sentinel.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a verification stands between two readings: what {@link Verifier#check} must remember to
 * judge the next one. The workflow keeps it in the case's checkpointed state, so whichever instance
 * takes the next reading goes on from here. The times are absolute: a reading taken after a long
 * outage is judged against the same deadline, not a fresh window.
 *
 * @param actionAtMillis when the action was taken
 * @param graceEndMillis readings before this are not judged (a restart's own blip)
 * @param deadlineMillis the end of the window: no verdict by then is unchanged
 * @param symptoms each symptom by series text, with the range it must return to
 * @param atAction each symptom's excess at the action, in range widths
 * @param anomaliesBefore the incident's anomalies in the window before the action
 * @param normalSinceMillis since when every symptom has been back in range; -1 when not
 * @param worseSinceMillis since when the readings have looked worse; -1 when not
 * @param nextAtMillis when the next reading is due
 */
public record VerifyProgress(
    long actionAtMillis,
    long graceEndMillis,
    long deadlineMillis,
    Map<String, Symptom> symptoms,
    Map<String, Double> atAction,
    int anomaliesBefore,
    long normalSinceMillis,
    long worseSinceMillis,
    long nextAtMillis) {

  VerifyProgress next(long normalSince, long worseSince, long nextAt) {
    return new VerifyProgress(
        actionAtMillis,
        graceEndMillis,
        deadlineMillis,
        symptoms,
        atAction,
        anomaliesBefore,
        normalSince,
        worseSince,
        nextAt);
  }

  public VerifyProgress {
    // In order: the first symptom that worsened is the one a verdict names.
    symptoms = Collections.unmodifiableMap(new LinkedHashMap<>(symptoms));
    atAction = Collections.unmodifiableMap(new LinkedHashMap<>(atAction));
  }
}
