package dev.sentinel.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the direction of the loop: a stage may use the stages before it, never those after it, so
 * that a reader can follow the loop from ingest to learn without meeting a forward reference. The
 * foundations every stage may use (access, audit, trace, memory) use no other package of ours.
 * {@code ModuleBoundariesTest} in {@code sentinel-app} pins the modules around the core.
 */
class StageDirectionTest {

  /** The stages in loop order. */
  private static final List<String> LOOP =
      List.of(
          "ingest",
          "history",
          "detect",
          "incident",
          "analyse",
          "plan",
          "approve",
          "execute",
          "verify",
          "learn",
          "notify");

  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sentinel");

  @Test
  void no_stage_depends_on_a_later_stage() {
    for (int stage = 0; stage < LOOP.size(); stage++) {
      for (int later = stage + 1; later < LOOP.size(); later++) {
        noClasses()
            .that()
            .resideInAPackage("dev.sentinel." + LOOP.get(stage) + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.sentinel." + LOOP.get(later) + "..")
            .allowEmptyShould(true)
            .because("the loop runs " + String.join(" -> ", LOOP))
            .check(core);
      }
    }
  }

  /** What any stage may use; they stand apart from the loop and from each other. */
  private static final List<String> FOUNDATIONS = List.of("access", "audit", "trace", "memory");

  @Test
  void a_foundation_uses_no_other_package_of_sentinel() {
    for (String foundation : FOUNDATIONS) {
      noClasses()
          .that()
          .resideInAPackage("dev.sentinel." + foundation + "..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.sentinel..")
                  .and(not(resideInAPackage("dev.sentinel." + foundation + ".."))))
          .because("every stage may use " + foundation + ", so it can use none of them")
          .check(core);
    }
  }

  @Test
  void the_core_uses_no_io_or_framework_library() {
    noClasses()
        .that()
        .resideInAPackage("dev.sentinel..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "com.fasterxml..", "io.micrometer..", "java.net.http..", "java.sql..")
        .check(core);
  }
}
