package io.cbtengine.engine.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash workload's own record of what the engine acknowledged, one line per call that returned,
 * forced before the next call. A line cut by the kill is ignored.
 *
 * <pre>
 * W disk offset length          a write (recordWrite or a closed scope) returned
 * S disk snapshotId changeId    createSnapshot returned
 * P disk snapshotId             deleteSnapshot about to be called (it may or may not have run)
 * D disk snapshotId             deleteSnapshot returned
 * </pre>
 */
final class AckLog implements AutoCloseable {
  private final FileChannel channel;

  AckLog(Path file) throws IOException {
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  void append(String line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
    while (b.hasRemaining()) {
      channel.write(b);
    }
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The complete lines of the log, each split on '|'. */
  static List<String[]> read(Path file) throws IOException {
    List<String[]> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      out.add(line.split("\\|"));
    }
    return out;
  }
}
