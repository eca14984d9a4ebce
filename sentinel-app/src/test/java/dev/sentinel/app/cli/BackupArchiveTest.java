package dev.sentinel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup archive: written whole or not at all, owner-only, and read back without surprises. */
class BackupArchiveTest {

  @TempDir Path dir;

  @Test
  void an_archive_is_owner_only_and_reads_back_its_manifest_and_entries() throws Exception {
    Path file = dir.resolve("backups").resolve("sentinel.zip");
    try (BackupArchive.Writer writer = new BackupArchive.Writer(file)) {
      writer.copy("memory/_0.cfs", bytes("index"));
      writer.copy("secrets/audit-key", bytes("key"));
      Properties manifest = new Properties();
      manifest.setProperty("format", BackupArchive.FORMAT);
      manifest.setProperty("schemaVersion", "40");
      writer.finish(manifest);
    }
    assertThat(Files.getPosixFilePermissions(file).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    try (var partials = Files.newDirectoryStream(file.getParent(), "*.partial")) {
      assertThat(partials.iterator().hasNext()).as("no partial file left").isFalse();
    }
    try (BackupArchive.Reader reader = new BackupArchive.Reader(file)) {
      assertThat(reader.manifest().getProperty("schemaVersion")).isEqualTo("40");
      assertThat(reader.list("memory")).containsExactly("_0.cfs");
      assertThat(reader.has("telemetry.duckdb")).isFalse();
      Path restored = dir.resolve("data").resolve("secrets").resolve("audit-key");
      reader.extract("secrets/audit-key", restored);
      assertThat(Files.readString(restored)).isEqualTo("key");
    }
  }

  @Test
  void an_archive_abandoned_before_finish_leaves_no_file() throws Exception {
    Path file = dir.resolve("sentinel.zip");
    try (BackupArchive.Writer writer = new BackupArchive.Writer(file)) {
      writer.copy("memory/_0.cfs", bytes("index"));
    }
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void a_zip_that_is_not_a_sentinel_backup_is_refused_with_the_reason() throws Exception {
    Path other = zip("other.zip", "README.txt", "hello");
    assertThatThrownBy(() -> new BackupArchive.Reader(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a Sentinel backup");

    Path newer = zip("newer.zip", BackupArchive.MANIFEST, "format=2\n");
    assertThatThrownBy(() -> new BackupArchive.Reader(newer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 2");
  }

  @Test
  void an_entry_that_would_leave_its_folder_is_refused() throws Exception {
    Path file = dir.resolve("evil.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry(BackupArchive.MANIFEST));
      zip.write(("format=" + BackupArchive.FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("memory/../../etc/cron.d/x"));
      zip.write(1);
    }
    try (BackupArchive.Reader reader = new BackupArchive.Reader(file)) {
      assertThatThrownBy(() -> reader.list("memory"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unsafe entry name");
    }
  }

  private Path zip(String name, String entry, String text) throws Exception {
    Path file = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry(entry));
      OutputStream out = zip;
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
