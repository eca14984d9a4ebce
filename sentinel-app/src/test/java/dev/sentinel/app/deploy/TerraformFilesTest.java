package dev.sentinel.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/terraform, with no Terraform binary: every file is parsed by HashiCorp's HCL parser
 * ({@code @cdktf/hcl2json} from npm, run by Node), then every reference is resolved against the
 * declarations, the worker group is checked for spot capacity over several instance types, and the
 * executor's IAM policy is checked to be deploy/aws/iam-policy.json with exactly its placeholders
 * filled in.
 */
class TerraformFilesTest {

  private static final Path TERRAFORM = Path.of("..", "deploy", "terraform");
  private static final Path PARSER = Path.of("target", "hcl2json");
  private static final String PARSER_PACKAGE = "@cdktf/hcl2json@0.21.0";

  /** A reference inside an expression: var.x, local.x, module.x, data.type.x or type.x. */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?<![\\w.\"-])(var|local|module|data\\.[a-z0-9_]+|(?:aws|tls)_[a-z0-9_]+)\\.([A-Za-z_][A-Za-z0-9_]*)");

  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{");

  private static Map<String, JsonNode> files;

  @BeforeAll
  static void parse() throws Exception {
    if (!Files.isDirectory(PARSER.resolve("node_modules/@cdktf/hcl2json"))) {
      Files.createDirectories(PARSER);
      run(List.of("npm", "install", "--silent", "--no-audit", "--no-fund", PARSER_PACKAGE), PARSER);
    }
    // An ES module finds its imports beside itself, not through NODE_PATH.
    Files.copy(
        Path.of("..", "scripts", "hcl2json.mjs"),
        PARSER.resolve("hcl2json.mjs"),
        StandardCopyOption.REPLACE_EXISTING);
    List<String> command = new ArrayList<>(List.of("node", "hcl2json.mjs"));
    try (Stream<Path> tf = Files.list(TERRAFORM)) {
      tf.filter(file -> file.toString().endsWith(".tf"))
          .sorted()
          .forEach(file -> command.add(file.toAbsolutePath().toString()));
    }
    assertThat(command).hasSizeGreaterThan(5);
    String json = run(command, PARSER);
    ObjectMapper mapper = new ObjectMapper();
    files =
        mapper.convertValue(
            mapper.readTree(json),
            mapper.getTypeFactory().constructMapType(Map.class, String.class, JsonNode.class));
  }

  private static String run(List<String> command, Path directory) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(false)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
    return out;
  }

  /** Every block of one kind ("resource", "variable"...) across the files. */
  private static List<JsonNode> blocks(String kind) {
    return files.values().stream()
        .filter(file -> file.has(kind))
        .map(file -> file.get(kind))
        .toList();
  }

  private static Set<String> declared() {
    Set<String> names = new HashSet<>();
    blocks("variable")
        .forEach(block -> block.fieldNames().forEachRemaining(n -> names.add("var." + n)));
    blocks("module")
        .forEach(block -> block.fieldNames().forEachRemaining(n -> names.add("module." + n)));
    blocks("locals")
        .forEach(
            list ->
                list.forEach(
                    locals -> locals.fieldNames().forEachRemaining(n -> names.add("local." + n))));
    for (String kind : List.of("resource", "data")) {
      blocks(kind)
          .forEach(
              block ->
                  block
                      .fields()
                      .forEachRemaining(
                          type ->
                              type.getValue()
                                  .fieldNames()
                                  .forEachRemaining(
                                      name ->
                                          names.add(
                                              (kind.equals("data") ? "data." : "")
                                                  + type.getKey()
                                                  + "."
                                                  + name))));
    }
    return names;
  }

  /** Every string in the files, keys included (a map key may hold an expression). */
  private static void strings(JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              field -> {
                into.add(field.getKey());
                strings(field.getValue(), into);
              });
    } else if (node.isArray()) {
      node.forEach(element -> strings(element, into));
    }
  }

  private static Set<String> references() {
    List<String> texts = new ArrayList<>();
    files.values().forEach(file -> strings(file, texts));
    Set<String> found = new TreeSet<>();
    for (String text : texts) {
      if (!INTERPOLATION.matcher(text).find()) {
        continue;
      }
      Matcher reference = REFERENCE.matcher(text);
      while (reference.find()) {
        found.add(reference.group(1) + "." + reference.group(2));
      }
    }
    return found;
  }

  @Test
  void every_reference_resolves_and_every_variable_is_used() {
    Set<String> declared = declared();
    Set<String> references = references();
    assertThat(references).contains("var.region", "aws_eks_cluster.this", "module.vpc");
    assertThat(declared).containsAll(references);
    Set<String> variables = new TreeSet<>(declared);
    variables.removeIf(name -> !name.startsWith("var."));
    assertThat(references).containsAll(variables);
  }

  @Test
  void the_worker_group_runs_on_spot_over_several_instance_types_beside_an_on_demand_group() {
    JsonNode spot = resource("aws_eks_node_group", "spot");
    assertThat(spot.get("capacity_type").asText()).isEqualTo("SPOT");
    String types = spot.get("instance_types").asText();
    assertThat(types).isEqualTo("${var.spot_instance_types}");
    JsonNode defaults = variable("spot_instance_types").get("default");
    assertThat(defaults.size()).isGreaterThanOrEqualTo(3);
    assertThat(resource("aws_eks_node_group", "on_demand").get("capacity_type").asText())
        .isEqualTo("ON_DEMAND");
  }

  @Test
  void the_executor_role_holds_the_policy_of_deploy_aws_with_its_placeholders_filled()
      throws IOException {
    JsonNode policy = resource("aws_iam_role_policy", "sentinel");
    assertThat(policy.get("policy").asText()).isEqualTo("${local.sentinel_policy}");
    String expression = local("sentinel_policy");
    assertThat(expression).contains("file(\"${path.module}/../aws/iam-policy.json\")");

    Matcher replaced = Pattern.compile("\"([A-Z_]+)\", (var|data)\\.").matcher(expression);
    Set<String> filled = new TreeSet<>();
    while (replaced.find()) {
      filled.add(replaced.group(1));
    }
    String file = Files.readString(Path.of("..", "deploy", "aws", "iam-policy.json"));
    new ObjectMapper().readTree(file);
    Matcher placeholder = Pattern.compile("\\b[A-Z][A-Z_]{4,}\\b").matcher(file);
    Set<String> placeholders = new TreeSet<>();
    while (placeholder.find()) {
      placeholders.add(placeholder.group());
    }
    assertThat(filled).isEqualTo(placeholders).containsExactly("ACCOUNT_ID", "CLUSTER", "REGION");
    // Nothing else touches the policy: three replace() calls around the file, no other function.
    assertThat(expression.replaceAll("\\s", ""))
        .startsWith("${replace(replace(replace(file(")
        .doesNotContain("merge(")
        .doesNotContain("jsonencode(");
    // The role is the one the service account of deploy/kubernetes assumes.
    String trust = resource("aws_iam_role", "sentinel").get("assume_role_policy").asText();
    assertThat(trust)
        .contains("system:serviceaccount:${var.sentinel_namespace}:sentinel")
        .contains("sts:AssumeRoleWithWebIdentity");
  }

  /** One resource block; Terraform lets a type's resources spread over several files. */
  private static JsonNode resource(String type, String name) {
    return blocks("resource").stream()
        .filter(block -> block.has(type) && block.get(type).has(name))
        .map(block -> block.get(type).get(name).get(0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no resource " + type + "." + name));
  }

  private static JsonNode variable(String name) {
    return blocks("variable").stream()
        .filter(block -> block.has(name))
        .map(block -> block.get(name).get(0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no variable " + name));
  }

  private static String local(String name) {
    for (JsonNode list : blocks("locals")) {
      for (JsonNode locals : list) {
        if (locals.has(name)) {
          return locals.get(name).asText();
        }
      }
    }
    throw new AssertionError("no local " + name);
  }
}
