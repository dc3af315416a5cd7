package io.cbtengine.engine;

import io.cbtengine.api.InvalidArgumentException;

/**
 * Settings of a persistent engine. Immutable and thread-safe.
 *
 * @param durability what is forced before a write is acknowledged; default {@link
 *     Durability#INTENT}
 * @param intentRegionBytes the region size of the write-intent log, a power of two from 64 KiB to 1
 *     TiB; default 64 MiB. Larger regions mean fewer forced writes and more false positives after
 *     an unclean stop.
 */
public record EngineOptions(Durability durability, long intentRegionBytes) {
  /** The default region size of the write-intent log: 64 MiB. */
  public static final long DEFAULT_INTENT_REGION_BYTES = 64L << 20;

  public EngineOptions {
    if (durability == null) {
      throw new InvalidArgumentException("durability", "durability is null: durability=null");
    }
    if (intentRegionBytes < (64 << 10)
        || intentRegionBytes > (1L << 40)
        || Long.bitCount(intentRegionBytes) != 1) {
      throw new InvalidArgumentException(
          "intentRegionBytes",
          "intentRegionBytes must be a power of two from 64 KiB to 1 TiB: intentRegionBytes="
              + intentRegionBytes);
    }
  }

  public static EngineOptions defaults() {
    return new EngineOptions(Durability.INTENT, DEFAULT_INTENT_REGION_BYTES);
  }

  public EngineOptions withDurability(Durability d) {
    return new EngineOptions(d, intentRegionBytes);
  }

  public EngineOptions withIntentRegionBytes(long bytes) {
    return new EngineOptions(durability, bytes);
  }
}
