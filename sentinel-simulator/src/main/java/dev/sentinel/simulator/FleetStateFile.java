package dev.sentinel.simulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The file that keeps the simulated fleet and the executor's idempotency keys across a restart of
 * Sentinel, in the line format of {@link StateFormat} (UTF-8).
 *
 * <p>Both are saved together, in one file replaced in one step (written to a sibling temporary
 * file, flushed to disk, then renamed over the old one), so the file always holds a state the fleet
 * was in and the keys of exactly the actions that led there: a process killed at any moment leaves
 * either the old file or the new one, never a mix, and never a key without its change.
 *
 * <p>Thread-safe; use one instance per path.
 */
public final class FleetStateFile {

  private final Path path;
  private final Path temporary;

  public FleetStateFile(Path path) {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
    this.temporary = this.path.resolveSibling(this.path.getFileName() + ".tmp");
  }

  public Path path() {
    return path;
  }

  /**
   * Replaces the file's contents with this state.
   *
   * @throws StateFileException when the file cannot be written; the old contents then stay
   */
  public synchronized void save(FleetState fleet, List<KeyedOutcome> outcomes) {
    String text = String.join("\n", StateFormat.write(new Saved(fleet, outcomes))) + "\n";
    try {
      Files.createDirectories(path.getParent());
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        // Without this a power cut could leave the renamed file empty; a killed process could not.
        channel.force(true);
      }
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StateFileException("cannot save the simulator state to " + path + ": " + e, e);
    }
  }

  /**
   * Reads the saved state, or nothing when no state was ever saved here.
   *
   * @throws StateFileException when the file cannot be read or is damaged; the message names the
   *     line
   */
  public synchronized Optional<Saved> load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateFileException("cannot read the simulator state from " + path + ": " + e, e);
    }
    return Optional.of(StateFormat.read(path.toString(), lines));
  }

  /**
   * What the file holds.
   *
   * @param fleet the fleet's run-time state
   * @param outcomes the executor's answers by idempotency key, oldest first
   */
  public record Saved(FleetState fleet, List<KeyedOutcome> outcomes) {

    public Saved {
      Objects.requireNonNull(fleet, "fleet");
      outcomes = List.copyOf(outcomes);
    }
  }
}
