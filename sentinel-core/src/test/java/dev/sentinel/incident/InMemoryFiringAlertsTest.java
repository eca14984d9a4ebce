package dev.sentinel.incident;

/** The firing-alerts contract in memory, where "the same state again" is the same object. */
class InMemoryFiringAlertsTest extends FiringAlertsContract {

  private InMemoryFiringAlerts last;

  @Override
  protected FiringAlerts alerts() {
    last = new InMemoryFiringAlerts();
    return last;
  }

  @Override
  protected FiringAlerts sameStateAgain() {
    return last;
  }
}
