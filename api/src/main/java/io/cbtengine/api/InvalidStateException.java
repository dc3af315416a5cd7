package io.cbtengine.api;

/**
 * vSphere's {@code InvalidState}: change tracking is disabled on the disk, or the engine is closed.
 */
public final class InvalidStateException extends CbtFault {
  private static final long serialVersionUID = 1L;

  public InvalidStateException(String message) {
    super(message);
  }

  @Override
  public String faultType() {
    return "InvalidState";
  }
}
