package dev.sentinel.postgres;

import dev.sentinel.access.KeyHasher;
import dev.sentinel.audit.AuditKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The secrets the state store keeps outside its database, in {@code <data>/secrets/} (mode 0700,
 * each file 0600): whoever can write the database must not be able to read them.
 *
 * <ul>
 *   <li>{@code postgres-password}: the bundled server's superuser password.
 *   <li>{@code audit-key}: the HMAC key of the audit chain; {@value #AUDIT_KEY_ENV} overrides it.
 *   <li>{@code api-key-pepper}: the HMAC key of stored API-key hashes; {@value #PEPPER_ENV}
 *       overrides it.
 *   <li>{@code audit-head}: the newest audit entry this instance wrote (not secret, but it must be
 *       as safe from the database's writers as the key is).
 * </ul>
 *
 * <p>Each missing file is created on first use with 256 random bits (43 base64url characters).
 * Instances that share one external database must share the audit key and the pepper: set both
 * environment variables (at least 32 characters each) to the same values on every instance.
 */
public final class StateSecrets {

  public static final String AUDIT_KEY_ENV = "SENTINEL_AUDIT_KEY";
  public static final String PEPPER_ENV = "SENTINEL_API_KEY_PEPPER";
  static final int MIN_CHARS = 32;

  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final AuditKey auditKey;
  private final KeyHasher keyHasher;

  private StateSecrets(Path directory, AuditKey auditKey, KeyHasher keyHasher) {
    this.directory = directory;
    this.auditKey = auditKey;
    this.keyHasher = keyHasher;
  }

  /**
   * Reads the secrets of this data directory, creating those that are missing; a set environment
   * variable replaces its file.
   */
  public static StateSecrets load(Path dataDir, Map<String, String> environment) {
    Path directory = directory(dataDir);
    String audit = fromEnvironment(environment, AUDIT_KEY_ENV);
    String pepper = fromEnvironment(environment, PEPPER_ENV);
    return new StateSecrets(
        directory,
        AuditKey.of(bytes(audit != null ? audit : readOrCreate(directory.resolve("audit-key")))),
        new KeyHasher(
            bytes(pepper != null ? pepper : readOrCreate(directory.resolve("api-key-pepper")))));
  }

  static Path directory(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("secrets");
  }

  public AuditKey auditKey() {
    return auditKey;
  }

  public KeyHasher keyHasher() {
    return keyHasher;
  }

  /** Where this instance records the newest audit entry it wrote. */
  public Path auditHead() {
    return directory.resolve("audit-head");
  }

  private static String fromEnvironment(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    value = value.strip();
    if (value.length() < MIN_CHARS) {
      throw new IllegalArgumentException(
          name
              + " must be at least "
              + MIN_CHARS
              + " characters, was "
              + value.length()
              + " (generate one with 'openssl rand -base64 32')");
    }
    return value;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The stripped content of a secret file, made first when it does not exist. The file is made
   * whole under a temporary name and linked into place, so a concurrent start (a {@code sentinel
   * keys} command beside {@code sentinel run}) reads either nothing or the one winner.
   */
  static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        Path directory = file.getParent();
        if (!Files.isDirectory(directory)) {
          Files.createDirectories(directory);
          Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
        Path temporary =
            Files.createTempFile(
                directory, file.getFileName() + ".", ".new", ownerOnly(OWNER_ONLY_FILE));
        try {
          Files.writeString(temporary, newSecret() + "\n");
          Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
          // another process won the race; its file is whole
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!permissions.equals(OWNER_ONLY_FILE)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      }
      String value = Files.readString(file).strip();
      if (value.length() < MIN_CHARS) {
        throw new IllegalStateException(
            file + " must hold at least " + MIN_CHARS + " characters; restore it from a backup");
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret " + file, e);
    }
  }

  private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> ownerOnly(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "StateSecrets[" + directory + "]";
  }
}
