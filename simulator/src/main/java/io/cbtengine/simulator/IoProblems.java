package io.cbtengine.simulator;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Says why a file could not be read or written, in words, for messages that name the file. */
public final class IoProblems {
  private IoProblems() {}

  /** A short description of {@code e}; never an exception's class name unless nothing else. */
  public static String describe(IOException e) {
    if (e instanceof EOFException || isCutShort(e)) {
      return "the data ends early (file cut short?)";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getReason() != null ? a.getReason() : "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "something is in the way (a file, or a link to a missing file)";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Decompressors report a cut-short stream with their own words. */
  private static boolean isCutShort(IOException e) {
    String m = e.getMessage();
    return m != null
        && (m.contains("Unexpected end of stream")
            || m.contains("Unexpected end of input")
            || m.contains("Truncated"));
  }
}
