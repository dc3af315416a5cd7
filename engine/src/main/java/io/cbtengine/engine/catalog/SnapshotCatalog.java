package io.cbtengine.engine.catalog;

import io.cbtengine.api.InvalidStateException;
import io.cbtengine.engine.catalog.CatalogRecords.DiskRecord;
import io.cbtengine.engine.catalog.CatalogRecords.SnapshotRecord;
import io.cbtengine.engine.store.InterruptStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Disk generations and snapshot boundaries, kept off-heap in a Chronicle Map: in memory for {@code
 * CbtEngine.inMemory()}, or mapped from a file.
 *
 * <p>The catalog answers which snapshot ids exist, which generation and sequence each names, and
 * the capacity at each; the epochs themselves live elsewhere. Record layouts are drawn in {@link
 * CatalogRecords}.
 *
 * <p>Thread-safety: every method may be called concurrently; Chronicle Map locks per segment.
 * Callers serialise the updates of one disk (they hold the disk's lock). {@link #close} waits for
 * the calls running on the map; any call after it throws {@link InvalidStateException}.
 *
 * <p>Interrupts: a persisted map grows through a file channel, and a channel used by a thread that
 * is interrupted, before or during the call, closes itself for good (every later update of the
 * engine then failed with Chronicle's exception). So the updates of a persisted catalog run on one
 * thread of the catalog's own, which nobody interrupts, while the caller waits for them without
 * reacting to interrupts (its interrupt status is kept). That costs a hand-off between threads per
 * update, next to the journal write and sync that every such update follows. Reads, and every call
 * on an in-memory catalog (no file, no channel), run on the caller's thread.
 */
public final class SnapshotCatalog implements AutoCloseable {
  static {
    // Before any Chronicle class loads: never phone home (see CbtEngine).
    System.setProperty("chronicle.analytics.disable", "true");
  }

  private static final String DISK_PREFIX = "d/";
  private static final String SNAPSHOT_PREFIX = "s/";

  private final ChronicleMap<String, byte[]> map;
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private boolean closed;

  /** Runs the updates of a persisted catalog; {@code null} for an in-memory one. */
  private final ExecutorService updater;

  private SnapshotCatalog(ChronicleMap<String, byte[]> map, ExecutorService updater) {
    this.map = map;
    this.updater = updater;
  }

  /** An off-heap catalog with room for about {@code entries} records (it grows past that). */
  public static SnapshotCatalog inMemory(long entries) {
    return new SnapshotCatalog(builder(entries).create(), null);
  }

  /** A catalog mapped from {@code file}, created if absent. */
  public static SnapshotCatalog persistedTo(Path file, long entries) throws IOException {
    ExecutorService updater =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cbt-catalog-updater");
              t.setDaemon(true);
              return t;
            });
    try {
      // Created on the updater thread too: creating the file also goes through channels.
      ChronicleMap<String, byte[]> map =
          awaitUninterruptibly(
              updater.submit(
                  () -> {
                    try {
                      return builder(entries).createPersistedTo(file.toFile());
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }));
      return new SnapshotCatalog(map, updater);
    } catch (UncheckedIOException e) {
      updater.shutdown();
      throw e.getCause();
    } catch (RuntimeException | Error e) {
      updater.shutdown();
      throw e;
    }
  }

  private static net.openhft.chronicle.map.ChronicleMapBuilder<String, byte[]> builder(long n) {
    return ChronicleMap.of(String.class, byte[].class)
        .name("cbt-catalog")
        .averageKeySize(64)
        .averageValueSize(CatalogRecords.DISK_RECORD_BYTES)
        .entries(Math.max(1024, n))
        .maxBloatFactor(64)
        // The engine closes the map itself. Chronicle's own exit hook would close it at JVM
        // shutdown under whatever still runs, an embedder's shutdown hook included (which then
        // got Chronicle's exception in place of a snapshot). The catalog is rebuilt at every open,
        // so a map left unclosed by a killed process costs nothing.
        .skipCloseOnExitHook(true);
  }

  public void putDisk(String diskId, DiskRecord record) {
    updating(() -> map.put(DISK_PREFIX + diskId, record.encode()));
  }

  /** The disk's record; empty if absent or unreadable. */
  public Optional<DiskRecord> disk(String diskId) {
    return Optional.ofNullable(DiskRecord.decode(guarded(() -> map.get(DISK_PREFIX + diskId))));
  }

  public void removeDisk(String diskId) {
    updating(() -> map.remove(DISK_PREFIX + diskId));
  }

  public void putSnapshot(String diskId, String snapshotId, SnapshotRecord record) {
    updating(() -> map.put(snapshotKey(diskId, snapshotId), record.encode()));
  }

  /** The snapshot's boundary; empty if absent or unreadable. */
  public Optional<SnapshotRecord> snapshot(String diskId, String snapshotId) {
    return Optional.ofNullable(
        SnapshotRecord.decode(guarded(() -> map.get(snapshotKey(diskId, snapshotId)))));
  }

  public boolean removeSnapshot(String diskId, String snapshotId) {
    return updating(() -> map.remove(snapshotKey(diskId, snapshotId))) != null;
  }

  /** Removes every snapshot record of the disk. */
  public void removeSnapshotsOf(String diskId) {
    String prefix = SNAPSHOT_PREFIX + diskId + "/";
    updating(() -> map.keySet().removeIf(k -> k.startsWith(prefix)));
  }

  /** The number of records. */
  public long size() {
    return guarded(map::longSize);
  }

  private static String snapshotKey(String diskId, String snapshotId) {
    return SNAPSHOT_PREFIX + diskId + "/" + snapshotId;
  }

  /**
   * Runs {@code op} on the map, or throws {@link InvalidStateException} once the catalog is closed.
   * The map's off-heap memory is released by {@link #close}, which waits for every running {@code
   * op}: a query racing the engine's close gets the contract's fault, never a closed map.
   */
  private <T> T guarded(Supplier<T> op) {
    Lock read = closing.readLock();
    read.lock();
    try {
      if (closed) {
        throw new InvalidStateException("engine is closed");
      }
      // A persisted map grows through a file channel, which an interrupted caller would close.
      return InterruptStatus.cleared(op::get);
    } finally {
      read.unlock();
    }
  }

  /**
   * {@link #guarded} for an update: on the updater thread for a persisted catalog (see the class
   * notes), waiting for it whatever interrupts arrive meanwhile; the caller's interrupt status is
   * kept. A failure of the update is rethrown as it was.
   */
  private <T> T updating(Supplier<T> op) {
    return updater == null
        ? guarded(op)
        : guarded(() -> awaitUninterruptibly(updater.submit(op::get)));
  }

  private static <T> T awaitUninterruptibly(Future<T> update) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return update.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException("catalog update failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the map once every running operation on it has ended; later calls do nothing. */
  @Override
  public void close() {
    Lock write = closing.writeLock();
    write.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (updater != null) {
        updater.shutdown();
      }
      map.close();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("closing catalog failed", e));
    } finally {
      write.unlock();
    }
  }
}
