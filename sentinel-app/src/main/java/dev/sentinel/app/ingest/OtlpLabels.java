package dev.sentinel.app.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How OTLP names and attributes become Sentinel metric names and labels: the Prometheus convention
 * (dots and other characters as underscores in label names; {@code service.name} as {@code
 * service}), except that metric names keep their dots, which Sentinel's names allow.
 */
final class OtlpLabels {

  private static final int MAX_LABEL_VALUE_LENGTH = 2048;

  private OtlpLabels() {}

  /** The labels of a resource's attributes, as name and value pairs. */
  static List<String[]> resource(List<KeyValue> attributes) {
    List<String[]> labels = new ArrayList<>(attributes.size());
    for (KeyValue attribute : attributes) {
      String name =
          attribute.getKey().equals("service.name") ? "service" : labelName(attribute.getKey());
      labels.add(new String[] {name, text(attribute.getValue())});
    }
    return labels;
  }

  /** A metric name with characters outside {@code [a-zA-Z0-9_:.]} as {@code _}. */
  static String metricName(String name) {
    return sanitize(name, true);
  }

  /** A label name with characters outside {@code [a-zA-Z0-9_]} (dots too) as {@code _}. */
  static String labelName(String name) {
    return sanitize(name, false);
  }

  private static String sanitize(String name, boolean metric) {
    StringBuilder clean = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean kept =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (c >= '0' && c <= '9')
              || (metric && (c == ':' || c == '.'));
      clean.append(kept ? c : '_');
    }
    if (!clean.isEmpty() && Character.isDigit(clean.charAt(0))) {
      clean.insert(0, '_');
    }
    return clean.toString();
  }

  /** The text of an attribute value; long values are cut to what a label may hold. */
  static String text(AnyValue value) {
    String text =
        switch (value.getValueCase()) {
          case STRING_VALUE -> value.getStringValue();
          case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
          case INT_VALUE -> Long.toString(value.getIntValue());
          case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
          case ARRAY_VALUE ->
              value.getArrayValue().getValuesList().stream()
                  .map(OtlpLabels::text)
                  .toList()
                  .toString();
          case KVLIST_VALUE ->
              value.getKvlistValue().getValuesList().stream()
                  .map(kv -> kv.getKey() + "=" + text(kv.getValue()))
                  .toList()
                  .toString();
          case BYTES_VALUE -> HexFormat.of().formatHex(value.getBytesValue().toByteArray());
          default -> "";
        };
    return text.length() <= MAX_LABEL_VALUE_LENGTH
        ? text
        : text.substring(0, MAX_LABEL_VALUE_LENGTH);
  }
}
