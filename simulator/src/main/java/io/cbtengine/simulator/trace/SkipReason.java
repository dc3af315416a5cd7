package io.cbtengine.simulator.trace;

/** Why a trace record was not replayed. Every skip is counted under one of these reasons. */
public enum SkipReason {
  /** A field is missing, not a number, or the line has the wrong shape. */
  MALFORMED("malformed"),
  /** The input ends inside a record (a binary record shorter than its size). */
  TRUNCATED("truncated"),
  /** A request of zero bytes. */
  ZERO_SIZE("zero size"),
  /** A negative offset or size. */
  NEGATIVE("negative offset or size"),
  /** A request that ends past the disk size given with {@code --disk-size}. */
  PAST_DISK_SIZE("past disk size"),
  /** An operation that is neither a read nor a write. */
  UNKNOWN_OPCODE("unknown opcode");

  private final String label;

  SkipReason(String label) {
    this.label = label;
  }

  /** A short human-readable name, as printed in reports. */
  public String label() {
    return label;
  }

  /** The name used in JSON and CSV reports, e.g. {@code past_disk_size}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
