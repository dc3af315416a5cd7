package io.cbtengine.api;

/**
 * Base of every fault the engine throws. Each subclass corresponds to one vSphere fault type, whose
 * name {@link #faultType()} returns, so that a simulated host can put it on the wire unchanged.
 *
 * <p>A call that throws a {@code CbtFault} has changed nothing: no write was recorded, no snapshot
 * created, no disk altered. Messages name the offending values in the form {@code problem:
 * name=value, name=value}.
 */
public abstract class CbtFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CbtFault(String message) {
    super(message);
  }

  protected CbtFault(String message, Throwable cause) {
    super(message, cause);
  }

  /** The vSphere fault name, e.g. {@code InvalidArgument}. */
  public abstract String faultType();
}
