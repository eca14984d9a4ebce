package dev.sentinel.app.ingest;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Builds remote-write 1.0 {@code WriteRequest} bodies byte by byte, as Prometheus' {@code prompb}
 * encodes them, for the decoder's and the endpoint's tests.
 */
public final class RemoteWriteBody {

  private final List<byte[]> series = new ArrayList<>();
  private final List<byte[]> metadata = new ArrayList<>();

  /** Adds a {@code MetricMetadata}: the family's type ({@code prompb.MetricType}) and name. */
  public RemoteWriteBody metadata(int type, String family) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeEnum(1, type);
      out.writeString(2, family);
      out.writeString(4, "help text");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metadata.add(bytes.toByteArray());
    return this;
  }

  /** Adds a series: labels as name, value pairs, then samples as timestamp, value pairs. */
  public RemoteWriteBody series(String[] labels, Object... samples) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (int i = 0; i < labels.length; i += 2) {
        byte[] label = label(labels[i], labels[i + 1]);
        out.writeByteArray(1, label);
      }
      for (int i = 0; i < samples.length; i += 2) {
        out.writeByteArray(2, sample((Long) samples[i], ((Number) samples[i + 1]).doubleValue()));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    series.add(bytes.toByteArray());
    return this;
  }

  private static byte[] label(String name, String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, name);
    out.writeString(2, value);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] sample(long timestamp, double value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeDouble(1, value);
    out.writeInt64(2, timestamp);
    out.flush();
    return bytes.toByteArray();
  }

  /** The uncompressed WriteRequest. */
  public byte[] protobuf() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (byte[] one : series) {
        out.writeByteArray(1, one);
      }
      for (byte[] one : metadata) {
        out.writeByteArray(3, one);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The WriteRequest as Prometheus sends it: Snappy's block format. */
  public byte[] snappy() {
    try {
      return Snappy.compress(protobuf());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String[] labels(String... pairs) {
    return pairs;
  }
}
