package dev.sentinel.analyse;

/**
 * Explains an incident. Called from a workflow worker thread, off the hot path; may take its time
 * (an LLM analyst calls out) but must be safe to call again for the same incident after a crash.
 */
public interface Analyst {
  Analysis analyse(CaseFile file);
}
