package dev.sentinel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the modules' boundaries on the whole application, as {@code sentinel-app} sees it with every
 * module on its class path: the core (the loop's stages and the workflow) knows no adapter and no
 * app; an adapter knows the core and its own technology, never another adapter or the app; and no
 * two packages depend on each other. {@link StageDirectionTest} in {@code sentinel-core} pins the
 * order of the stages inside the core.
 */
class ModuleBoundariesTest {

  /** The packages of {@code sentinel-core} and {@code sentinel-workflow}. */
  private static final List<String> CORE =
      List.of(
          "access",
          "analyse",
          "approve",
          "audit",
          "detect",
          "execute",
          "history",
          "incident",
          "ingest",
          "learn",
          "memory",
          "notify",
          "plan",
          "trace",
          "verify",
          "workflow");

  /** One package per adapter module, named for its technology. */
  private static final List<String> ADAPTERS =
      List.of(
          "postgres",
          "duckdb",
          "clickhouse",
          "kafka",
          "llm",
          "embeddings",
          "lucene",
          "qdrant",
          "notifier",
          "kubernetes",
          "aws",
          "simulator");

  /** Imported once: scanning every module takes seconds. */
  private static final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sentinel");

  @Test
  void every_module_is_on_the_class_path() {
    for (String module : Stream.concat(CORE.stream(), ADAPTERS.stream()).toList()) {
      assertThat(classes.containPackage("dev.sentinel." + module))
          .as("classes of dev.sentinel.%s were imported", module)
          .isTrue();
    }
  }

  @Test
  void the_core_depends_on_no_adapter_and_not_on_the_app() {
    noClasses()
        .that()
        .resideInAnyPackage(packages(CORE))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages(Stream.concat(ADAPTERS.stream(), Stream.of("app")).toList()))
        .because("ports live in the core and adapters plug into them, never the reverse")
        .check(classes);
  }

  @Test
  void an_adapter_depends_on_no_other_adapter_and_not_on_the_app() {
    for (String adapter : ADAPTERS) {
      List<String> others =
          Stream.concat(ADAPTERS.stream().filter(other -> !other.equals(adapter)), Stream.of("app"))
              .toList();
      noClasses()
          .that()
          .resideInAPackage("dev.sentinel." + adapter + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(packages(others))
          .because("only the composition root in sentinel-app puts adapters together")
          .check(classes);
    }
  }

  @Test
  void no_two_packages_depend_on_each_other() {
    slices()
        .matching("dev.sentinel.(**)")
        .should()
        .beFreeOfCycles()
        .because("a cycle makes two packages one thing that cannot be read alone")
        .check(classes);
  }

  private static String[] packages(List<String> names) {
    return names.stream().map(name -> "dev.sentinel." + name + "..").toArray(String[]::new);
  }
}
