package io.cbtengine.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** File helpers of the store: atomic replace, directory sync, CRC32C, recursive delete. */
final class StoreFiles {
  private StoreFiles() {}

  static int crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Makes a directory's entries (creations, renames, deletions) durable. */
  static void syncDirectory(Path dir) throws IOException {
    InterruptStatus.retried(
        () -> {
          try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
          } catch (ClosedByInterruptException e) {
            throw e; // not done: run again
          } catch (IOException e) {
            // Some file systems refuse to open directories; their metadata is then synchronous.
            if (!Files.isDirectory(dir)) {
              throw e;
            }
          }
          return null;
        });
  }

  /** Writes {@code content} to a temp file, forces it, renames it over {@code target}, syncs. */
  static void writeAtomically(Path target, ByteBuffer content) throws IOException {
    InterruptStatus.retried(
        () -> {
          // Each attempt writes the whole content again.
          writeAtomicallyInterruptible(target, content.duplicate());
          return null;
        });
  }

  private static void writeAtomicallyInterruptible(Path target, ByteBuffer content)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (content.hasRemaining()) {
        ch.write(content);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(target.getParent());
  }

  /** Deletes a file or a directory tree; missing paths are ignored. */
  static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteTree(child);
        }
      }
    }
    try {
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  static byte[] readAll(Path file, long maxBytes) throws IOException {
    return InterruptStatus.retried(() -> readAllInterruptible(file, maxBytes));
  }

  private static byte[] readAllInterruptible(Path file, long maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(
          "file too large: file=" + file + ", size=" + size + ", max=" + maxBytes);
    }
    return Files.readAllBytes(file);
  }
}
