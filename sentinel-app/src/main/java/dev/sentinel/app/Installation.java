package dev.sentinel.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Sentinel is installed, when a distribution's launcher ({@code bin/sentinel}) started it:
 * the launcher passes {@code -Dsentinel.home}. Relative paths of the installation's own files
 * (runbooks) resolve against it, so they do not depend on the directory Sentinel was started from;
 * run from the source tree (no {@code sentinel.home}) they resolve against the working directory.
 */
public final class Installation {

  static final String PROPERTY = "sentinel.home";

  private Installation() {}

  /** {@code path} as is when absolute, else under the installation, else as given. */
  public static Path resolve(String path) {
    return resolve(path, Optional.ofNullable(System.getProperty(PROPERTY)));
  }

  static Path resolve(String path, Optional<String> home) {
    Path given = Path.of(path);
    if (given.isAbsolute() || home.isEmpty() || home.get().isBlank()) {
      return given;
    }
    return Path.of(home.get()).resolve(given);
  }
}
