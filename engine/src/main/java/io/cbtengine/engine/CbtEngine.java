package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;
import java.nio.file.Path;

/** Factories of {@link ChangeTracker} engines. */
public final class CbtEngine {
  private CbtEngine() {}

  /** An engine whose state lives in memory only. */
  public static ChangeTracker inMemory() {
    throw new UnsupportedOperationException("in-memory engine not built yet");
  }

  /** An engine persisted in {@code directory}. */
  public static ChangeTracker open(Path directory) {
    throw new UnsupportedOperationException("persistent engine not built yet");
  }
}
