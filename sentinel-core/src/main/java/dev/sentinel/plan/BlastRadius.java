package dev.sentinel.plan;

/** How much of the system an action can hurt if it goes wrong, smallest first. */
public enum BlastRadius {
  /** One replica, pod or instance. */
  INSTANCE,
  /** One service (all its replicas). */
  SERVICE,
  /** Several services: a shared dependency such as a database, or a node. */
  DEPENDENTS,
  /** A whole cluster, region or platform. */
  PLATFORM
}
