package io.cbtengine.simulator.truth;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The writes a byte of a backup image may hold. One write when the byte was copied from a snapshot
 * whose content there is certain; several when writes were in flight during the snapshot, and the
 * snapshot may hold the old content or any of theirs. Immutable and thread-safe; tiny (a handful of
 * writes at most: one per writer thread).
 */
public final class Candidates {
  private final Write[] writes;

  Candidates(Write[] writes) {
    this.writes = writes;
  }

  /** Exactly {@code write} ({@link Write#NONE} for never-written content). */
  public static Candidates of(Write write) {
    return write.alone();
  }

  /** These candidates and {@code write}. */
  public Candidates with(Write write) {
    if (contains(write)) {
      return this;
    }
    Write[] more = Arrays.copyOf(writes, writes.length + 1);
    more[writes.length] = write;
    return new Candidates(more);
  }

  /** Whether the byte may hold {@code write}. */
  public boolean contains(Write write) {
    for (Write w : writes) {
      if (w == write) {
        return true;
      }
    }
    return false;
  }

  /** Whether this is a single write. */
  public boolean isExact() {
    return writes.length == 1;
  }

  @Override
  public String toString() {
    if (writes.length == 1) {
      return writes[0].toString();
    }
    StringJoiner j = new StringJoiner(" or ", "one of ", "");
    for (Write w : writes) {
      j.add(w.toString());
    }
    return j.toString();
  }
}
