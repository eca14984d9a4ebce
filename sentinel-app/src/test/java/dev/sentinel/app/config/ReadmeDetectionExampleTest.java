package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.MetricDetection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detection example in the README's "Detection" section loads, and says what it claims. */
class ReadmeDetectionExampleTest {

  @TempDir Path dir;

  @Test
  void the_readme_example_loads_with_the_built_in_values_and_its_overrides() throws Exception {
    Path readme = Path.of("").toAbsolutePath().resolveSibling("README.md");
    if (!Files.exists(readme)) {
      readme = Path.of("README.md");
    }
    String text = Files.readString(readme);
    Matcher block =
        Pattern.compile("## Detection\n.*?```yaml\n(detection:\n.*?)```", Pattern.DOTALL)
            .matcher(text);
    assertThat(block.find()).as("a yaml block under ## Detection in " + readme).isTrue();
    Path file = Files.writeString(dir.resolve("sentinel.yaml"), block.group(1));

    DetectionConfig detection = new ConfigLoader().load(file, Map.of()).detection();

    // "these are the built-in values"
    assertThat(detection.defaults()).isEqualTo(MetricDetection.defaults());
    assertThat(detection.resolve("batch_duration").detectors()).isEmpty();
    assertThat(detection.resolve("latency_p99_ms").sensitivity()).isEqualTo(2.0);
    assertThat(detection.resolve("cpu").detectors()).contains(DetectorKind.SEASONAL);
  }
}
