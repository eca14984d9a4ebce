package dev.sentinel.app.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request written on a plain socket, so a test controls the framing (a chunked body with no
 * length, a length that lies) and can read the answer while the body is still being sent: the body
 * goes out on its own thread until it ends or the server stops reading.
 */
final class RawHttp {

  private RawHttp() {}

  /** The status the server answered with, or -1 when it closed without an answer. */
  static int post(int port, String path, String headers, InputStream body, boolean chunked)
      throws IOException, InterruptedException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + headers
              + (chunked ? "Transfer-Encoding: chunked\r\n" : "")
              + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try {
                      int read;
                      while ((read = body.read(buffer)) > 0) {
                        if (chunked) {
                          out.write(
                              (Integer.toHexString(read) + "\r\n")
                                  .getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(buffer, 0, read);
                        if (chunked) {
                          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                      }
                      if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                      }
                      out.flush();
                    } catch (IOException e) {
                      // The server stopped reading: expected once it has refused the body.
                    }
                  });
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String status = in.readLine();
      writer.interrupt();
      socket.close();
      writer.join(5_000);
      return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
    }
  }

  /** {@code prefix}, then {@code total - prefix} bytes of {@code filler}, made as it is read. */
  static InputStream generated(byte[] prefix, long total, byte filler) {
    return new InputStream() {
      long position;

      @Override
      public int read() {
        if (position >= total) {
          return -1;
        }
        int b = position < prefix.length ? prefix[(int) position] : filler;
        position++;
        return b & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= total) {
          return -1;
        }
        int n = (int) Math.min(length, total - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = position < prefix.length ? prefix[(int) position] : filler;
          position++;
        }
        return n;
      }
    };
  }
}
