package dev.sentinel.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The newest audit entry this instance wrote, kept in a file outside the database: the one fact
 * about the trail's end that a writer of the database cannot move back. Without it, cutting the
 * newest entries and moving the database's own head back leaves a chain that verifies.
 *
 * <p>Written after each append commits, so the file is never ahead of the database (a crash between
 * the two leaves it one step behind, which only narrows what it proves). Writes only move it
 * forward; thread-safe within one process.
 */
final class AuditHead {

  /** A sequence number and the keyed hash of the entry at it. */
  record Mark(long sequence, String hash) {}

  private final Path file;
  private long written = -1;

  AuditHead(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  synchronized Optional<Mark> read() {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      List<String> parts = List.of(Files.readString(file).strip().split(" "));
      if (parts.size() != 2) {
        throw new IllegalStateException(file + " is not '<sequence> <hash>'");
      }
      return Optional.of(new Mark(Long.parseLong(parts.get(0)), parts.get(1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit head " + file, e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + " is not '<sequence> <hash>'", e);
    }
  }

  synchronized void write(long sequence, String hash) {
    if (sequence <= written) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path temporary =
          Files.createTempFile(
              file.getParent(),
              "audit-head.",
              ".new",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(StandardCharsets.UTF_8.encode(sequence + " " + hash + "\n"));
        // Durable before it replaces the old head, so a power loss leaves one whole file.
        channel.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written = sequence;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit head " + file, e);
    }
  }
}
