package dev.sentinel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void ingest_and_viewer_are_separate_and_operator_holds_both() {
    assertThat(Role.INGEST.allows(Role.INGEST)).isTrue();
    assertThat(Role.INGEST.allows(Role.VIEWER)).isFalse();
    assertThat(Role.VIEWER.allows(Role.INGEST)).isFalse();
    assertThat(Role.VIEWER.allows(Role.VIEWER)).isTrue();
    assertThat(Role.VIEWER.allows(Role.OPERATOR)).isFalse();
    assertThat(Role.OPERATOR.allows(Role.INGEST)).isTrue();
    assertThat(Role.OPERATOR.allows(Role.VIEWER)).isTrue();
    assertThat(Role.OPERATOR.allows(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
    for (Role required : Role.values()) {
      assertThat(Role.ADMIN.allows(required)).isTrue();
    }
  }

  @Test
  void codes_are_lower_case_and_parse_in_any_case() {
    assertThat(Role.OPERATOR.code()).isEqualTo("operator");
    assertThat(Role.fromCode(" Admin ")).isEqualTo(Role.ADMIN);
    assertThatThrownBy(() -> Role.fromCode("root"))
        .hasMessage("role must be one of ingest, viewer, operator, admin, was 'root'");
  }
}
