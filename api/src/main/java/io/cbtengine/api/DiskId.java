package io.cbtengine.api;

/**
 * Identifies a tracked disk: 1 to 128 characters of {@code [A-Za-z0-9._:-]}.
 *
 * @throws InvalidArgumentException (invalidProperty {@code id}) for any other value
 */
public record DiskId(String value) {
  public DiskId {
    Ids.check("id", value);
  }

  public static DiskId of(String value) {
    return new DiskId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
