package io.cbtengine.benchmarks;

import io.cbtengine.api.DiskChangeExtent;
import java.util.List;

/**
 * What every benchmarked implementation offers: mark writes, cut snapshots, answer which bytes
 * changed between two snapshots. The engine and the baselines sit behind it so that one benchmark
 * body measures all of them alike.
 *
 * <p>Snapshots are numbered from 1 in the order they are cut; snapshot 0 stands for "tracking
 * began". Thread-safety is that of the implementation: the engine and the locked baselines are
 * thread-safe, {@code floor} is not (it is the physical limit of marking, not a usable tracker).
 */
public interface WriteTracker extends AutoCloseable {
  /** The name used by the benchmarks' {@code impl} parameter. */
  String name();

  long capacityBytes();

  int blockSize();

  /** Records a write of {@code length} bytes at {@code offset}; marks every block it touches. */
  void mark(long offset, long length);

  /**
   * Cuts the current epoch and returns the new snapshot's number. Baselines compact the cut epoch
   * before returning; the engine freezes it in the background, so a query right after the cut pays
   * for the freeze.
   */
  int snapshot();

  /**
   * The complete answer, over the whole disk, to "which bytes changed after snapshot {@code from}
   * and at or before snapshot {@code to}": coalesced, sorted, block-aligned extents clipped to the
   * capacity. The engine answers it with the full client paging loop.
   */
  List<DiskChangeExtent> changedExtents(int from, int to);

  @Override
  void close();
}
