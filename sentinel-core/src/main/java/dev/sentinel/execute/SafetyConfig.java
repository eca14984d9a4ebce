package dev.sentinel.execute;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safety layers every action passes, whatever its platform ({@code remediation.safety}).
 *
 * @param dryRun {@code true}: no platform is changed, every action only records what it would have
 *     done; {@code false}: every platform acts; unset ({@code null}, the default): the real
 *     platforms (Kubernetes, AWS) dry-run and the simulator acts, so nothing real is touched until
 *     someone turns dry-run off on purpose, while the demo still shows the whole loop
 * @param allow per platform, the resources Sentinel may act on, as {@link ResourcePattern globs}
 *     over {@code scope/resource}; a platform with no patterns may not be acted on at all
 * @param limits bounds on what one action may change
 */
public record SafetyConfig(Boolean dryRun, Map<String, List<String>> allow, ActionLimits limits) {

  /** The platform that acts even when dry-run is left unset. */
  public static final String SIMULATOR = "simulator";

  public SafetyConfig {
    Objects.requireNonNull(limits, "limits");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    (allow == null ? Map.<String, List<String>>of() : allow)
        .forEach(
            (platform, patterns) -> {
              List<String> globs = patterns == null ? List.of() : List.copyOf(patterns);
              globs.forEach(ResourcePattern::new);
              copy.put(platform, globs);
            });
    allow = Map.copyOf(copy);
  }

  /** The simulator may act on any service; every real platform must be allowed explicitly. */
  public static SafetyConfig defaults() {
    return new SafetyConfig(null, Map.of(SIMULATOR, List.of("**")), ActionLimits.defaults());
  }

  public boolean dryRun(String platform) {
    return dryRun == null ? !SIMULATOR.equals(platform) : dryRun;
  }

  public List<ResourcePattern> allowed(String platform) {
    return allow.getOrDefault(platform, List.of()).stream().map(ResourcePattern::new).toList();
  }
}
