package dev.sentinel.app.ingest;

/**
 * One reason a submitted point was refused.
 *
 * @param index position of the point in the batch (0-based), or -1 for the batch itself
 * @param field the offending field as a JSON path, e.g. {@code points[3].value}
 * @param message what is wrong, in words a sender can act on
 */
public record PointError(int index, String field, String message) {}
