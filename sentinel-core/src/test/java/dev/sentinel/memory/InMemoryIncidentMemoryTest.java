package dev.sentinel.memory;

class InMemoryIncidentMemoryTest extends IncidentMemoryContract {

  @Override
  protected IncidentMemory open() {
    return new InMemoryIncidentMemory(DIMENSIONS);
  }
}
