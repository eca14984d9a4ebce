package dev.sentinel.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunbookSectionTest {

  private static final String RUNBOOK =
      """
      Preamble nobody reads.
      # Memory leak
      A service whose memory keeps rising.
      ## Symptoms
      memory_used_bytes climbs; GC pauses grow.
      ```
      # not a heading: a shell comment
      kubectl top pod
      ```
      ## Empty

      ## Fix
      Restart the service, then find the leak.
      #### Detail
      A level-4 heading stays in its section.
      """;

  @Test
  void a_runbook_splits_at_its_headings_into_titled_sections() {
    List<RunbookSection> sections = RunbookSection.split("memory-leak.md", RUNBOOK);

    assertThat(sections)
        .extracting(RunbookSection::title)
        .containsExactly("Memory leak", "Memory leak / Symptoms", "Memory leak / Fix");
    assertThat(sections)
        .extracting(RunbookSection::id)
        .containsExactly(
            "runbook:memory-leak.md#0", "runbook:memory-leak.md#1", "runbook:memory-leak.md#2");
    assertThat(sections.get(1).text())
        .startsWith("Memory leak / Symptoms\nmemory_used_bytes climbs")
        .contains("# not a heading: a shell comment");
    assertThat(sections.get(2).text()).contains("#### Detail").contains("A level-4 heading");
  }

  @Test
  void a_section_becomes_a_runbook_document_with_file_and_title() {
    RunbookSection section = RunbookSection.split("a.md", "# A\ntext").getFirst();
    MemoryDocument document = section.document(new float[] {1, 0});
    assertThat(document.kind()).isEqualTo(MemoryKind.RUNBOOK);
    assertThat(document.payload()).containsEntry("file", "a.md").containsEntry("title", "A");
    assertThat(document.text()).isEqualTo("A\ntext");
  }
}
