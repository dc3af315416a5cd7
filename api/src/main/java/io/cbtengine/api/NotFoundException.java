package io.cbtengine.api;

/** vSphere's {@code NotFound}: an unknown disk, or an unknown or deleted snapshot. */
public final class NotFoundException extends CbtFault {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  @Override
  public String faultType() {
    return "NotFound";
  }
}
