package io.cbtengine.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of a tracked disk: its id, the changeId that names the point it was taken at, the
 * disk's capacity at that point, and when it was created.
 */
public record SnapshotInfo(
    SnapshotId id, ChangeId changeId, long capacityBytes, Instant createdAt) {
  public SnapshotInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(changeId, "changeId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
