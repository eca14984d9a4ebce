package dev.sentinel.app.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * The version this build was made from: the Maven project version and, when the build ran in a git
 * checkout, {@code git describe}. The build writes both into {@value #RESOURCE} (sentinel-app's
 * pom, the antrun execution {@code build-version}); a class run from an IDE without that step is a
 * {@code development build}.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param revision {@code git describe --tags --always --dirty}, or {@code unknown} outside git
 */
public record SentinelVersion(String version, String revision) {

  static final String RESOURCE = "/dev/sentinel/app/version.properties";

  private static final SentinelVersion CURRENT = read();

  public SentinelVersion {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(revision, "revision");
  }

  /** This build's version, read once. */
  public static SentinelVersion current() {
    return CURRENT;
  }

  /** {@code 0.1.0-SNAPSHOT (920e506)}, or the version alone when the revision is unknown. */
  public String display() {
    return revision.isBlank() || revision.equals("unknown")
        ? version
        : version + " (" + revision + ")";
  }

  private static SentinelVersion read() {
    try (InputStream in = SentinelVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new SentinelVersion("development build", "unknown");
      }
      Properties properties = new Properties();
      properties.load(in);
      return new SentinelVersion(
          properties.getProperty("version", "development build").strip(),
          properties.getProperty("revision", "unknown").strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
