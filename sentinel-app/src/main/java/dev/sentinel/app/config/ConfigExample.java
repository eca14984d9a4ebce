package dev.sentinel.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code sentinel config example}: every configuration key, with its built-in value and what it
 * means, as a YAML file that loads to exactly the defaults. The keys and values come from the
 * configuration records themselves; the meanings from {@code keys.properties} beside this class,
 * which must hold one line for every key and none for a key that is gone.
 */
public final class ConfigExample {

  private static final String MEANINGS = "keys.properties";

  private ConfigExample() {}

  public static String render() {
    Properties meanings = meanings();
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Sentinel's configuration: every key with its built-in value.\n")
        .append(
            "# Made by `sentinel config example`; use it with --config FILE or $SENTINEL_CONFIG.\n")
        .append("# Each key can also be set as an environment variable: server.port is\n")
        .append("# SENTINEL_SERVER_PORT, bus.capacityPoints is SENTINEL_BUS_CAPACITY_POINTS.\n")
        .append(
            "# Keys ending in Millis, Seconds, Minutes, Hours or Days take durations (5m, 90s).\n");
    Set<String> used = new HashSet<>();
    List<String> missing = new ArrayList<>();
    write(new ConfigLoader().defaultsTree(), "", "", meanings, used, missing, yaml);
    Set<String> unused = new TreeSet<>(meanings.stringPropertyNames());
    unused.removeAll(used);
    if (!missing.isEmpty() || !unused.isEmpty()) {
      throw new IllegalStateException(
          MEANINGS
              + " is out of date: no meaning for "
              + missing
              + "; a meaning for no key: "
              + unused);
    }
    return yaml.toString();
  }

  private static void write(
      ObjectNode section,
      String path,
      String indent,
      Properties meanings,
      Set<String> used,
      List<String> missing,
      StringBuilder yaml) {
    for (Map.Entry<String, JsonNode> field : section.properties()) {
      String key = field.getKey();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      String meaning = meanings.getProperty(keyPath);
      if (meaning == null) {
        missing.add(keyPath);
      } else {
        used.add(keyPath);
        if (indent.isEmpty()) {
          yaml.append('\n');
        }
        yaml.append(indent).append("# ").append(meaning).append('\n');
      }
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        yaml.append(indent).append(key).append(":\n");
        write((ObjectNode) value, keyPath, indent + "  ", meanings, used, missing, yaml);
      } else {
        // JSON is YAML's flow style: strings quoted, lists and mappings in brackets.
        yaml.append(indent).append(key).append(": ").append(value).append('\n');
      }
    }
  }

  private static Properties meanings() {
    Properties meanings = new Properties();
    try (InputStream in = ConfigExample.class.getResourceAsStream(MEANINGS)) {
      if (in == null) {
        throw new IllegalStateException(MEANINGS + " is missing from the build");
      }
      meanings.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MEANINGS, e);
    }
    return meanings;
  }
}
