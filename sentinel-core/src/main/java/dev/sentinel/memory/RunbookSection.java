package dev.sentinel.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One section of a Markdown runbook: a heading and the text under it, up to the next heading of the
 * same or a higher level. Sections are what gets embedded, because a whole runbook covers several
 * faults and its vector would resemble none of them.
 *
 * @param file the runbook's file name, e.g. {@code memory-leak.md}
 * @param title the runbook's title (its first heading) and the section's heading, joined
 */
public record RunbookSection(String file, int index, String title, String text) {

  /** Sections longer than this are cut: the model reads only the first few hundred words. */
  private static final int MAX_CHARACTERS = 2000;

  public RunbookSection {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }

  /** Stable across restarts, so re-reading a runbook replaces its sections. */
  public String id() {
    return "runbook:" + file + "#" + index;
  }

  /** The memory document of this section, with its vector. */
  public MemoryDocument document(float[] vector) {
    return new MemoryDocument(
        id(), MemoryKind.RUNBOOK, text, vector, Map.of("file", file, "title", title));
  }

  /**
   * Splits a runbook at its level-1 to level-3 headings; text before the first heading and sections
   * with no text under their heading are dropped. Headings inside fenced code are text.
   */
  public static List<RunbookSection> split(String file, String markdown) {
    List<RunbookSection> sections = new ArrayList<>();
    String documentTitle = null;
    String heading = null;
    StringBuilder body = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\r?\n")) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      }
      int level = fenced ? 0 : headingLevel(line);
      if (level >= 1 && level <= 3) {
        add(sections, file, documentTitle, heading, body);
        heading = line.substring(level).strip();
        if (documentTitle == null) {
          documentTitle = heading;
        }
        body.setLength(0);
      } else {
        body.append(line).append('\n');
      }
    }
    add(sections, file, documentTitle, heading, body);
    return sections;
  }

  private static int headingLevel(String line) {
    int level = 0;
    while (level < line.length() && line.charAt(level) == '#') {
      level++;
    }
    return level > 0 && level < line.length() && line.charAt(level) == ' ' ? level : 0;
  }

  private static void add(
      List<RunbookSection> sections,
      String file,
      String documentTitle,
      String heading,
      StringBuilder body) {
    String text = body.toString().strip();
    if (heading == null || text.isEmpty()) {
      return;
    }
    String title = heading.equals(documentTitle) ? heading : documentTitle + " / " + heading;
    String full = title + "\n" + text;
    sections.add(
        new RunbookSection(
            file,
            sections.size(),
            title,
            full.length() > MAX_CHARACTERS ? full.substring(0, MAX_CHARACTERS) : full));
  }
}
