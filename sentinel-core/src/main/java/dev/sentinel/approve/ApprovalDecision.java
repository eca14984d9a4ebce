package dev.sentinel.approve;

import java.util.Objects;

/** Whether a plan may run, and who said so. */
public sealed interface ApprovalDecision {

  String actor();

  String reason();

  /** The policy let it run without a human. */
  record AutoApproved(String reason) implements ApprovalDecision {
    public String actor() {
      return "sentinel";
    }
  }

  /** The policy wants a human; the workflow waits. */
  record NeedsHuman(String reason) implements ApprovalDecision {
    public String actor() {
      return "sentinel";
    }
  }

  /** A human approved. */
  record Granted(String actor, String reason) implements ApprovalDecision {
    public Granted {
      Objects.requireNonNull(actor, "actor");
    }
  }

  /** A human rejected: nothing runs, the incident stays open for a human. */
  record Rejected(String actor, String reason) implements ApprovalDecision {
    public Rejected {
      Objects.requireNonNull(actor, "actor");
    }
  }

  default boolean allowsExecution() {
    return this instanceof AutoApproved || this instanceof Granted;
  }
}
