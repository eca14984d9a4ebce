package dev.sentinel.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The file {@code sentinel backup} writes and {@code sentinel restore} reads: a zip archive, mode
 * 0600 because it holds the data directory's secrets. Its entries:
 *
 * <ul>
 *   <li>{@value #MANIFEST}: the format, the Sentinel that wrote it, when, and what it holds;
 *   <li>{@code postgres/}: the state store's rows (see {@link dev.sentinel.postgres.StateDump});
 *   <li>{@code secrets/}: the audit key and the API-key pepper, without which the trail does not
 *       verify and no stored key matches;
 *   <li>{@code memory/}: the newest commit of the Lucene incident memory;
 *   <li>{@code telemetry.duckdb}: the telemetry history, when it could be copied;
 *   <li>{@code simulator.state}: the demo fleet, when there is one.
 * </ul>
 */
final class BackupArchive {

  static final String MANIFEST = "sentinel-backup.properties";
  static final String FORMAT = "1";

  private BackupArchive() {}

  /** An archive being written under a temporary name, moved into place by {@link #finish}. */
  static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private final ZipOutputStream zip;
    private boolean finished;

    Writer(Path target) throws IOException {
      this.target = target.toAbsolutePath();
      Path folder = this.target.getParent();
      Files.createDirectories(folder);
      this.partial =
          Files.createTempFile(
              folder,
              this.target.getFileName() + ".",
              ".partial",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      this.zip = new ZipOutputStream(Files.newOutputStream(partial));
    }

    /** Starts an entry and returns its stream, which the caller must not close. */
    OutputStream entry(String name) throws IOException {
      zip.putNextEntry(new ZipEntry(name));
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          zip.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          zip.write(bytes, offset, length);
        }
      };
    }

    void copy(String name, InputStream in) throws IOException {
      in.transferTo(entry(name));
    }

    void finish(Properties manifest) throws IOException {
      manifest.store(entry(MANIFEST), "Sentinel backup");
      zip.close();
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      finished = true;
    }

    @Override
    public void close() throws IOException {
      if (!finished) {
        zip.close();
        Files.deleteIfExists(partial);
      }
    }
  }

  /** An archive opened for reading. */
  static final class Reader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final Properties manifest = new Properties();

    Reader(Path file) throws IOException {
      this.file = file;
      this.zip = new ZipFile(file.toFile());
      ZipEntry entry = zip.getEntry(MANIFEST);
      if (entry == null) {
        zip.close();
        throw new IllegalArgumentException(
            file + " is not a Sentinel backup (no " + MANIFEST + ")");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        manifest.load(in);
      }
      if (!FORMAT.equals(manifest.getProperty("format"))) {
        zip.close();
        throw new IllegalArgumentException(
            file
                + " is a backup of format "
                + manifest.getProperty("format")
                + "; this Sentinel reads format "
                + FORMAT);
      }
    }

    Properties manifest() {
      return manifest;
    }

    boolean has(String name) {
      return zip.getEntry(name) != null;
    }

    InputStream open(String name) throws IOException {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        throw new IOException(file + " has no entry " + name);
      }
      return zip.getInputStream(entry);
    }

    /**
     * The names of the files directly under {@code folder/}, without the folder. The folders a
     * backup holds are flat: a nested, absolute or parent-relative name is refused, so no entry can
     * be written outside the directory it is restored into.
     */
    List<String> list(String folder) {
      List<String> names = new ArrayList<>();
      zip.stream()
          .map(ZipEntry::getName)
          .filter(name -> name.startsWith(folder + "/"))
          .map(name -> name.substring(folder.length() + 1))
          .forEach(
              name -> {
                if (name.isEmpty()
                    || name.contains("/")
                    || name.contains("\\")
                    || name.equals(".")
                    || name.equals("..")) {
                  throw new IllegalArgumentException(
                      file + " holds an unsafe entry name: " + folder + "/" + name);
                }
                names.add(name);
              });
      return names;
    }

    /** Writes the entry {@code name} to the file {@code target}. */
    void extract(String name, Path target) {
      try (InputStream in = open(name)) {
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restore " + name + " to " + target, e);
      }
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
