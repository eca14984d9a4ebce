package dev.sentinel.app.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SentinelConfig}: the built-in defaults, overlaid by one YAML file, overlaid by
 * {@code SENTINEL_*} environment variables. Unknown keys and bad values fail at once with the key's
 * path, because a typo that silently keeps a default is worse than a refusal to start.
 *
 * <p>An environment variable names a key path in upper case with underscores: {@code
 * SENTINEL_SERVER_PORT} sets {@code server.port}, {@code SENTINEL_BUS_CAPACITY_POINTS} sets {@code
 * bus.capacityPoints}. Lists take comma-separated values.
 */
public final class ConfigLoader {

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  /**
   * Variables that share the prefix but are read elsewhere, not config keys; so is every {@code
   * SENTINEL_TEST_*} variable, which tells the test suite where its services run.
   */
  private static final Set<String> NOT_KEYS =
      Set.of(
          "SENTINEL_ADMIN_KEY",
          "SENTINEL_JAVA_OPTS",
          "SENTINEL_CONFIG",
          "SENTINEL_RUNTIME_DIR",
          // the state store's shared secrets (StateSecrets in sentinel-postgres)
          "SENTINEL_AUDIT_KEY",
          "SENTINEL_API_KEY_PEPPER");

  private static final String TEST_PREFIX = "SENTINEL_TEST_";

  private static final String PREFIX = "SENTINEL_";

  /**
   * What Kubernetes injects into every pod of a namespace that holds a Service named {@code
   * sentinel} (unless the pod sets {@code enableServiceLinks: false}): {@code SENTINEL_PORT},
   * {@code SENTINEL_PORT_8080_TCP[_PROTO|_PORT|_ADDR]}, {@code SENTINEL_SERVICE_HOST}, {@code
   * SENTINEL_SERVICE_PORT[_NAME]}. No configuration key starts with {@code port} or {@code
   * service}, so these names cannot hide a key; a look-alike with another prefix still fails.
   */
  private static final Pattern SERVICE_LINK =
      Pattern.compile(
          "SENTINEL_(PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?"
              + "|SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?)");

  // Keys are the records' components and nothing else: a convenience method such as
  // isComplete() must not turn into a key that the record then refuses to read back.
  private final ObjectMapper json =
      new ObjectMapper()
          .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** Loads the configuration; {@code file} may be null for defaults and environment only. */
  public SentinelConfig load(Path file, Map<String, String> environment) {
    ObjectNode tree = json.valueToTree(SentinelConfig.defaults());
    if (file != null) {
      merge(tree, readYaml(file), "", file.toString());
    }
    applyEnvironment(tree, environment);
    return bind(tree);
  }

  private JsonNode readYaml(Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException("configuration file " + file + " does not exist or is unreadable");
    }
    try {
      JsonNode node = yaml.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException("configuration file " + file + " must hold a YAML mapping");
      }
      return node;
    } catch (IOException e) {
      throw new ConfigException(
          "configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private void merge(ObjectNode target, JsonNode source, String path, String origin) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      JsonNode existing = target.get(key);
      if (existing == null) {
        throw new ConfigException(
            "unknown configuration key '"
                + keyPath
                + "' in "
                + origin
                + "; known keys"
                + (path.isEmpty() ? "" : " under '" + path + "'")
                + ": "
                + knownKeys(target));
      }
      if (existing.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) existing, field.getValue(), keyPath, origin);
      } else {
        target.set(key, field.getValue());
      }
    }
  }

  private void applyEnvironment(ObjectNode tree, Map<String, String> environment) {
    List<String> serviceLinks = new ArrayList<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(PREFIX) || NOT_KEYS.contains(name) || name.startsWith(TEST_PREFIX)) {
        continue;
      }
      if (SERVICE_LINK.matcher(name).matches()) {
        serviceLinks.add(name);
        continue;
      }
      List<String> words =
          Arrays.asList(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_"));
      setByWords(tree, words, variable.getValue(), name, "");
    }
    if (!serviceLinks.isEmpty()) {
      log.warn(
          "ignored {} (what Kubernetes injects for a Service named sentinel, not configuration);"
              + " set enableServiceLinks: false on the pod to leave them out",
          String.join(", ", serviceLinks));
    }
  }

  private void setByWords(
      ObjectNode node, List<String> words, String value, String variable, String path) {
    // Greedy: the longest run of words that spells a key at this level wins, so
    // CAPACITY_POINTS finds capacityPoints before it would look for a key 'capacity'.
    for (int take = words.size(); take >= 1; take--) {
      String spelled = String.join("", words.subList(0, take));
      String key = keyMatching(node, spelled);
      if (key == null) {
        continue;
      }
      String keyPath = path.isEmpty() ? key : path + "." + key;
      JsonNode existing = node.get(key);
      List<String> rest = words.subList(take, words.size());
      if (rest.isEmpty()) {
        if (existing.isObject()) {
          throw new ConfigException(
              variable + " names the section '" + keyPath + "', not a value; set one of its keys");
        }
        node.set(key, parseLike(existing, value));
        return;
      }
      if (existing.isObject()) {
        setByWords((ObjectNode) existing, rest, value, variable, keyPath);
        return;
      }
    }
    throw new ConfigException(
        "environment variable "
            + variable
            + " does not name a configuration key"
            + (path.isEmpty() ? "" : " under '" + path + "'")
            + "; known keys: "
            + knownKeys(node));
  }

  private static String keyMatching(ObjectNode node, String spelled) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      // aws-ec2 is spelled AWS_EC2 in a variable
      if (name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").equals(spelled)) {
        return name;
      }
    }
    return null;
  }

  private static JsonNode parseLike(JsonNode existing, String value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (existing.isArray()) {
      ArrayNode array = nodes.arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.strip());
        }
      }
      return array;
    }
    if (existing.isBoolean()) {
      return nodes.textNode(value.strip());
    }
    return nodes.textNode(value);
  }

  private SentinelConfig bind(ObjectNode tree) {
    try {
      return json.treeToValue(tree, SentinelConfig.class);
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String reason =
          cause instanceof IllegalArgumentException
              ? cause.getMessage()
              : e.getOriginalMessage().lines().findFirst().orElse("invalid value");
      throw new ConfigException(
          "invalid configuration" + (path.isEmpty() ? "" : " at '" + path + "'") + ": " + reason,
          e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
    }
  }

  private static String knownKeys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return String.join(", ", keys);
  }
}
