package dev.sentinel.app.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON parsing every endpoint uses for what a client sends: tight stream limits, so a hostile
 * body costs neither deep recursion nor quadratic number parsing, and (through the mapper) exactly
 * one document with nothing after it. The limits sit far above anything a real sender writes: a
 * point is three levels deep, an Alertmanager alert four.
 */
public final class StrictJson {

  /** Deeper than this is refused: Jackson recurses per level when it builds a tree. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** A double needs at most 24 characters; 100 leave room for zeros and exponents. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Longer strings are refused; Jackson's own default is 20 M characters. */
  public static final int MAX_STRING_LENGTH = 1024 * 1024;

  /** Longer field names are refused. */
  public static final int MAX_NAME_LENGTH = 4096;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .maxNameLength(MAX_NAME_LENGTH)
                  .build())
          .build();

  private StrictJson() {}

  /** A streaming factory with the limits; the caller checks for trailing data itself. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /** A new mapper with the limits that refuses anything after the first document. */
  public static ObjectMapper mapper() {
    return new ObjectMapper(FACTORY.copy()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** What a client is told when its JSON crosses one of the limits. */
  public static String describe(StreamConstraintsException e) {
    return "the JSON exceeds a parser limit (nesting "
        + MAX_NESTING_DEPTH
        + ", number "
        + MAX_NUMBER_LENGTH
        + " characters, string "
        + MAX_STRING_LENGTH
        + " characters): "
        + e.getOriginalMessage();
  }

  /** What a client is told about JSON that does not parse: where, and what the parser expected. */
  public static String malformed(JsonProcessingException e) {
    return "malformed JSON"
        + (e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr())
        + ": "
        + e.getOriginalMessage();
  }
}
