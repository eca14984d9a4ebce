package dev.sentinel.notify;

class InMemoryReplayGuardTest extends ReplayGuardContract {

  private final InMemoryReplayGuard guard = new InMemoryReplayGuard();

  /** One process: every "instance" shares this guard. */
  @Override
  protected ReplayGuard guard() {
    return guard;
  }
}
