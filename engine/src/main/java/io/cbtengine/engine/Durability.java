package io.cbtengine.engine;

/**
 * What a persistent engine forces to disk before a write is acknowledged, and so what survives an
 * unclean stop (kill -9, power loss). Snapshots and their changeIds are durable in every mode.
 */
public enum Durability {
  /**
   * Nothing is forced on the write path. After an unclean stop every tracked disk starts a new
   * generation: earlier changeIds get {@code FileFault}, the next backup is a full one (what VMware
   * does). Clean shutdowns lose nothing.
   */
  NONE,

  /**
   * The first write to a coarse region (default 64 MiB) in each epoch appends a record to the
   * epoch's write-intent log and waits for it to be forced (group commit across threads); later
   * writes to the region cost nothing extra. After an unclean stop, the regions logged in the
   * interrupted epochs are reported as changed: earlier changeIds stay valid, with extra false
   * positives and no miss.
   */
  INTENT
}
