package io.cbtengine.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.simulator.truth.SnapshotTruth;
import io.cbtengine.simulator.truth.Write;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How writes at each step of their life are classified by a snapshot cut. */
class DiskStateTest {
  private final ChangeTracker engine = CbtEngine.inMemory();
  private final DiskState state =
      new DiskState("d", engine.createDisk(DiskId.of("d"), 1 << 20, DiskOptions.defaults()));

  @AfterEach
  void close() {
    engine.close();
  }

  private static DiskState.InFlight flight(long serial) {
    return new DiskState.InFlight(new Write(serial, "d", serial * 4096, 4096, "t", serial));
  }

  @Test
  void afterSnapshot_writesAtEachStep_classified() {
    DiskState.InFlight done = flight(1);
    state.enter(done);
    state.opened(done);
    state.landed(done);
    state.closing(done);
    state.left(done);

    DiskState.InFlight openThroughout = flight(2);
    state.enter(openThroughout);
    state.opened(openThroughout);
    state.landed(openThroughout);

    DiskState.InFlight enteredNotOpened = flight(3);
    state.enter(enteredNotOpened);

    DiskState.InFlight closesDuring = flight(4);
    state.enter(closesDuring);
    state.opened(closesDuring);

    DiskState.SnapshotStart cut = state.beforeSnapshot();
    state.closing(closesDuring);
    DiskState.InFlight entersDuring = flight(5);
    state.enter(entersDuring);
    SnapshotTruth truth = state.afterSnapshot(cut, 1 << 20);

    assertEquals(
        Set.of(
            openThroughout.write, enteredNotOpened.write, closesDuring.write, entersDuring.write),
        Set.copyOf(truth.inFlight()));
    assertEquals(List.of(openThroughout.write), truth.mustReportAfter());
    assertTrue(state.dirty(), "writes in flight: the next round must back the disk up again");

    // The content was frozen before the call: the landed writes are in it, later ones are not.
    assertEquals(2 * 4096, truth.writtenBytes());
  }

  @Test
  void afterSnapshot_nothingInFlight_exactAndClean() {
    state.applyDirect(new Write(1, "d", 0, 512, "t", 1));
    assertTrue(state.dirty());
    SnapshotTruth truth = state.afterSnapshot(state.beforeSnapshot(), 1 << 20);
    assertEquals(List.of(), truth.inFlight());
    assertEquals(512, truth.writtenBytes());
    assertFalse(state.dirty());
  }
}
