package dev.sentinel.app.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A file-system failure in words: which file, and what is wrong with it. */
final class FileProblems {

  private FileProblems() {}

  static String describe(IOException e) {
    if (e instanceof FileSystemException failure && failure.getFile() != null) {
      String what =
          switch (failure) {
            case NoSuchFileException missing ->
                missing.getReason() != null ? missing.getReason() : "no such file or directory";
            case AccessDeniedException denied -> "permission denied";
            case NotDirectoryException notDirectory -> "not a directory";
            default -> failure.getReason() != null ? failure.getReason() : e.getClass().getName();
          };
      return "cannot use " + failure.getFile() + ": " + what;
    }
    return "input or output failed: " + e.getMessage();
  }
}
