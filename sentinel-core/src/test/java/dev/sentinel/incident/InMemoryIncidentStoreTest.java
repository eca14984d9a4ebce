package dev.sentinel.incident;

class InMemoryIncidentStoreTest extends IncidentStoreContract {
  @Override
  protected IncidentStore store() {
    return new InMemoryIncidentStore();
  }
}
