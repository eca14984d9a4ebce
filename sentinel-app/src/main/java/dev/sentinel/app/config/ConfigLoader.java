package dev.sentinel.app.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
          "SENTINEL_SKIP_BUILD",
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
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          // Maps (the playbook's plays, the allow lists) in key order: the example is stable.
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  private final Consumer<String> notices;

  /** A loader whose notices (what it ignored, and why) are logged as warnings at once. */
  public ConfigLoader() {
    this(notice -> LoggerFactory.getLogger(ConfigLoader.class).warn(notice));
  }

  /**
   * @param notices takes what the loader ignored, and why: {@code sentinel run} logs them once it
   *     has chosen the log's format from the configuration
   */
  public ConfigLoader(Consumer<String> notices) {
    this.notices = notices;
  }

  /** The built-in configuration as the tree of keys a file writes. */
  ObjectNode defaultsTree() {
    return json.valueToTree(SentinelConfig.defaults());
  }

  /** Loads the configuration; {@code file} may be null for defaults and environment only. */
  public SentinelConfig load(Path file, Map<String, String> environment) {
    ObjectNode tree = json.valueToTree(SentinelConfig.defaults());
    if (file != null) {
      merge(tree, readYaml(file), "", file.toString());
    }
    applyEnvironment(tree, environment);
    durations(tree, "");
    return bind(tree);
  }

  /** The unit a key's name gives its number in, by suffix: {@code windowSeconds} is in seconds. */
  private static final Map<String, ChronoUnit> UNITS =
      Map.of(
          "Millis", ChronoUnit.MILLIS,
          "Seconds", ChronoUnit.SECONDS,
          "Minutes", ChronoUnit.MINUTES,
          "Hours", ChronoUnit.HOURS,
          "Days", ChronoUnit.DAYS);

  /**
   * Lets every key whose name ends in a unit ({@code ...Seconds}, {@code ...Millis}, ...) take a
   * duration such as {@code 30s}, {@code 5m}, {@code 2h} or {@code 250ms} as well as a number in
   * that unit; a duration that is not a whole number of the unit is refused, naming the key.
   */
  private static void durations(ObjectNode node, String path) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      JsonNode value = field.getValue();
      if (value.isObject()) {
        durations((ObjectNode) value, keyPath);
        continue;
      }
      ChronoUnit unit = unitOf(key);
      if (unit == null || !value.isTextual()) {
        continue;
      }
      String text = value.asText().strip();
      Optional<Duration> duration = ShortDuration.parse(text);
      if (duration.isEmpty()) {
        continue; // a plain number, or a mistake the binding names with the expected form
      }
      long millis = duration.get().toMillis();
      long unitMillis = unit.getDuration().toMillis();
      if (millis % unitMillis != 0) {
        throw new ConfigException(
            "'"
                + keyPath
                + "' is "
                + text
                + ": it counts whole "
                + unit.toString().toLowerCase(Locale.ROOT)
                + "; write a number or a duration in whole "
                + unit.toString().toLowerCase(Locale.ROOT));
      }
      node.put(key, millis / unitMillis);
    }
  }

  private static ChronoUnit unitOf(String key) {
    for (Map.Entry<String, ChronoUnit> unit : UNITS.entrySet()) {
      if (key.endsWith(unit.getKey())) {
        return unit.getValue();
      }
    }
    return null;
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
      notices.accept(
          "ignored "
              + String.join(", ", serviceLinks)
              + " (what Kubernetes injects for a Service named sentinel, not configuration);"
              + " set enableServiceLinks: false on the pod to leave them out");
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
      String reason;
      if (cause instanceof IllegalArgumentException) {
        reason = cause.getMessage();
      } else if (e instanceof MismatchedInputException mismatch
          && mismatch.getTargetType() != null) {
        String key = e.getPath().isEmpty() ? "" : e.getPath().getLast().getFieldName();
        reason =
            valueAt(tree, e.getPath())
                + " is not "
                + expected(mismatch.getTargetType(), key == null ? "" : key);
      } else {
        reason = "invalid value";
      }
      throw new ConfigException(
          "invalid configuration" + (path.isEmpty() ? "" : " at '" + path + "'") + ": " + reason,
          e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
    }
  }

  /** The value the binding failed on, as written (quoted when text). */
  private static String valueAt(JsonNode tree, List<JsonMappingException.Reference> path) {
    JsonNode node = tree;
    for (JsonMappingException.Reference ref : path) {
      node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
    }
    if (node.isMissingNode()) {
      return "the value";
    }
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  /** What a key of this type takes, in the words of the configuration, not of Java. */
  private static String expected(Class<?> type, String key) {
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      ChronoUnit unit = unitOf(key);
      return unit == null
          ? "a whole number"
          : "a whole number of "
              + unit.toString().toLowerCase(Locale.ROOT)
              + " or a duration such as 30s, 5m or 2h";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list (in YAML, [a, b] or one '- item' per line)";
    }
    if (type == String.class) {
      return "text";
    }
    return "a section of keys (a YAML mapping)";
  }

  private static String knownKeys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return String.join(", ", keys);
  }
}
