package io.cbtengine.simulator.trace;

import java.io.IOException;

/**
 * A trace that cannot be read as asked: an unknown format, or a bad record under {@code --strict}.
 * The message names the file and the line or record.
 */
public final class TraceFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public TraceFormatException(String message) {
    super(message);
  }
}
