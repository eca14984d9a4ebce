package dev.sentinel.plan;

import java.util.Objects;

/**
 * What an action touches.
 *
 * @param platform which executor acts: {@code simulator}, {@code kubernetes}, {@code aws-ec2},
 *     {@code aws-ecs}
 * @param scope where the resource lives: a namespace, a region, an ECS cluster; empty when the
 *     platform has one scope
 * @param resource the resource itself: a service, {@code deployment/checkout}, an instance id
 */
public record Target(String platform, String scope, String resource) {

  public Target {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(resource, "resource");
    scope = scope == null ? "" : scope;
    if (platform.isBlank() || resource.isBlank()) {
      throw new IllegalArgumentException("a target needs a platform and a resource");
    }
  }

  /** {@code platform:scope/resource}, the form whitelists match against. */
  public String path() {
    return platform + ":" + (scope.isEmpty() ? "" : scope + "/") + resource;
  }

  @Override
  public String toString() {
    return path();
  }
}
