package dev.sentinel.app;

import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.RunbookSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the runbook folder at start and puts every section of every Markdown file in memory. */
final class Runbooks {

  private static final Logger log = LoggerFactory.getLogger(Runbooks.class);

  private Runbooks() {}

  /** Returns the number of sections indexed; a missing folder or unreadable file is logged. */
  static int index(Path folder, Embedder embedder, IncidentMemory memory) {
    if (!Files.isDirectory(folder)) {
      log.info("runbooks: no folder {} (memory.runbooks); none indexed", folder.toAbsolutePath());
      return 0;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(file -> file.toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      log.warn("runbooks: cannot list {}: {}", folder.toAbsolutePath(), e.getMessage());
      return 0;
    }
    int sections = 0;
    for (Path file : files) {
      try {
        String markdown = Files.readString(file, StandardCharsets.UTF_8);
        for (RunbookSection section :
            RunbookSection.split(file.getFileName().toString(), markdown)) {
          memory.upsert(section.document(embedder.embed(section.text())));
          sections++;
        }
      } catch (IOException | RuntimeException e) {
        log.warn("runbooks: skipped {}: {}", file, e.getMessage());
      }
    }
    log.info(
        "runbooks: {} sections from {} files in {}",
        sections,
        files.size(),
        folder.toAbsolutePath());
    return sections;
  }
}
