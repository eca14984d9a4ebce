package dev.sentinel.lucene;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Copies the newest commit of an incident-memory index, also while another process (a running
 * Sentinel) holds its writer: a commit's files are never changed once written, only deleted when a
 * newer commit replaces them. All of the commit's files are opened before any is read, and an open
 * file stays readable on Linux after it is deleted, so the copy is one whole commit. When the
 * writer deletes a file between the listing and the opening, the copy starts again from the newer
 * commit.
 */
public final class LuceneCommitCopy {

  private static final int ATTEMPTS = 5;

  /** Receives each file of the commit. */
  public interface Sink {
    void write(String fileName, InputStream in) throws IOException;
  }

  private LuceneCommitCopy() {}

  /**
   * Copies the newest commit of the index at {@code index} to {@code sink}.
   *
   * @return the names of the files copied
   * @throws IOException when the index cannot be read, or kept changing for {@value #ATTEMPTS}
   *     attempts
   */
  public static List<String> copy(Path index, Sink sink) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try (Directory directory = FSDirectory.open(index)) {
        List<IndexCommit> commits = DirectoryReader.listCommits(directory);
        IndexCommit newest = commits.getLast();
        Map<String, FileChannel> open = new LinkedHashMap<>();
        try {
          for (String name : newest.getFileNames()) {
            open.put(name, FileChannel.open(index.resolve(name)));
          }
          for (Map.Entry<String, FileChannel> file : open.entrySet()) {
            file.getValue().position(0);
            sink.write(file.getKey(), Channels.newInputStream(file.getValue()));
          }
          return new ArrayList<>(open.keySet());
        } finally {
          for (FileChannel channel : open.values()) {
            channel.close();
          }
        }
      } catch (NoSuchFileException | FileNotFoundException e) {
        last = e; // a newer commit replaced this one while it was being opened
      }
    }
    throw new IOException(
        "the incident memory at " + index + " changed during " + ATTEMPTS + " copy attempts", last);
  }

  /** Whether {@code index} holds a committed index to copy. */
  public static boolean exists(Path index) throws IOException {
    if (!Files.isDirectory(index)) {
      return false;
    }
    try (Directory directory = FSDirectory.open(index)) {
      return DirectoryReader.indexExists(directory);
    }
  }
}
