package io.cbtengine.engine;

import io.cbtengine.api.ChangeTracker;

/** Test access to {@link EpochChangeTracker#abandonForTesting()}: a crash without a process. */
public final class CrashSimulation {
  private CrashSimulation() {}

  public static void abandon(ChangeTracker engine) {
    ((EpochChangeTracker) engine).abandonForTesting();
  }
}
