package dev.sentinel.notify;

import org.junit.jupiter.api.BeforeEach;

class InMemoryOutboxTest extends OutboxContract {

  private InMemoryOutbox outbox;

  @BeforeEach
  void fresh() {
    outbox = new InMemoryOutbox();
  }

  @Override
  protected Outbox outbox() {
    return outbox;
  }

  /** In memory, "reopening" is looking again at the same object: it is not durable. */
  @Override
  protected Outbox reopen() {
    return outbox;
  }
}
