package io.cbtengine.api;

import java.util.Objects;

/** vSphere's {@code InvalidArgument}: an argument is malformed or out of range. */
public final class InvalidArgumentException extends CbtFault {
  private static final long serialVersionUID = 1L;

  private final String invalidProperty;

  public InvalidArgumentException(String invalidProperty, String message) {
    super(message);
    this.invalidProperty = Objects.requireNonNull(invalidProperty, "invalidProperty");
  }

  /**
   * The name of the offending argument: {@code startOffset}, {@code changeId}, {@code offset},
   * {@code length}, {@code capacityBytes}, {@code blockSize}, {@code id}, or an option name.
   */
  public String invalidProperty() {
    return invalidProperty;
  }

  @Override
  public String faultType() {
    return "InvalidArgument";
  }
}
