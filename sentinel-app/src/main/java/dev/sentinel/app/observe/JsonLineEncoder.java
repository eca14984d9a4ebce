package dev.sentinel.app.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log line for log pipelines ({@code log.format: json}): {@code time, level,
 * logger, thread, traceId, message}, the other MDC entries ({@code requestId}, {@code incidentId})
 * and the stack trace, flat so that a query like {@code traceId="..."} finds every line of a
 * request or an incident. Every line has a {@code traceId}: the request's or the incident's while
 * one is being handled, else W3C's all-zero "no trace" ({@link TraceIds#NONE}).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NOTHING = new byte[0];
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator out = json.createGenerator(line)) {
      out.writeStartObject();
      out.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      out.writeStringField("level", event.getLevel().toString());
      out.writeStringField("logger", event.getLoggerName());
      out.writeStringField("thread", event.getThreadName());
      Map<String, String> mdc = event.getMDCPropertyMap();
      out.writeStringField("traceId", mdc.getOrDefault("traceId", TraceIds.NONE));
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        if (!entry.getKey().equals("traceId")) {
          out.writeStringField(entry.getKey(), entry.getValue());
        }
      }
      out.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        out.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    line.write('\n');
    return line.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
