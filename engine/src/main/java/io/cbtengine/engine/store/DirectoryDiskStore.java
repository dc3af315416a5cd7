package io.cbtengine.engine.store;

import io.cbtengine.api.FileFaultException;
import io.cbtengine.engine.epoch.BlockSet;
import io.cbtengine.engine.epoch.Epoch;
import io.cbtengine.engine.epoch.EpochLog;
import io.cbtengine.engine.epoch.IntentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A disk's files in a persistent engine's directory:
 *
 * <pre>
 * disks/d-&lt;disk id&gt;/
 *   journal.log                    life cycle, see {@link DiskJournal}
 *   g-&lt;32 hex digits&gt;/             one folder per tracking generation
 *     epoch-&lt;k&gt;.cbte               frozen epoch k, see {@link EpochFile}
 *     intent-&lt;k&gt;.log               write-intent log of epoch k until epoch-k is on disk
 *                                    (see {@link RegionIntentLog})
 *     open-&lt;k&gt;.cbte                content of open epoch k saved by a clean close
 * </pre>
 *
 * <p>Thread-safety: life-cycle methods under the disk's lock; {@link #epochFrozen} from the freezer
 * thread touches only files of closed epochs.
 */
final class DirectoryDiskStore implements DiskStore {
  private static final System.Logger LOG = System.getLogger(DirectoryDiskStore.class.getName());

  private final DirectoryStore engineStore;
  private final Path dir;
  private final DiskJournal journal;
  private final int regionShift;

  DirectoryDiskStore(DirectoryStore engineStore, Path dir, DiskJournal journal, int regionShift) {
    this.engineStore = engineStore;
    this.dir = dir;
    this.journal = journal;
    this.regionShift = regionShift;
  }

  static String generationFolder(long high, long low) {
    return String.format("g-%016x%016x", high, low);
  }

  Path generationDir(long high, long low) {
    return dir.resolve(generationFolder(high, low));
  }

  static Path epochFile(Path genDir, long k) {
    return genDir.resolve("epoch-" + k + ".cbte");
  }

  static Path intentFile(Path genDir, long k) {
    return genDir.resolve("intent-" + k + ".log");
  }

  static Path openFile(Path genDir, long k) {
    return genDir.resolve("open-" + k + ".cbte");
  }

  private FileFaultException fault(String what, Path file, IOException e) {
    return new FileFaultException(
        FileFaultException.CORRUPT,
        file.toString(),
        "cannot write tracking files: " + what + ", file=" + file + ", error=" + e,
        e);
  }

  @Override
  public void generationStarted(long high, long low, boolean wholeDiskAtStart) {
    Path g = generationDir(high, low);
    try {
      Files.createDirectories(g);
      StoreFiles.syncDirectory(dir);
      ByteBuffer p = DiskJournal.payload(17);
      p.putLong(high).putLong(low).put((byte) (wholeDiskAtStart ? 1 : 0)).flip();
      journal.append(DiskJournal.GENERATION, p);
    } catch (IOException e) {
      throw fault("start generation", g, e);
    }
  }

  @Override
  public IntentLog openIntentLog(long high, long low, long epoch) {
    if (!engineStore.intentLogging()) {
      return null;
    }
    Path file = intentFile(generationDir(high, low), epoch);
    try {
      return RegionIntentLog.create(file, high, low, epoch, regionShift, false);
    } catch (IOException e) {
      throw fault("create write-intent log", file, e);
    }
  }

  /** Opens the log of a recovered open epoch whose earlier regions are in {@code open-k.cbte}. */
  RegionIntentLog reopenIntentLog(long high, long low, long epoch) throws IOException {
    if (!engineStore.intentLogging()) {
      return null;
    }
    return RegionIntentLog.create(
        intentFile(generationDir(high, low), epoch), high, low, epoch, regionShift, true);
  }

  @Override
  public void snapshotCreated(
      long high, long low, long seq, String snapshotId, long capacity, Instant at) {
    byte[] id = snapshotId.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer p = DiskJournal.payload(8 * 4 + 4 + 2 + id.length);
    p.putLong(seq).putLong(capacity).putLong(at.getEpochSecond()).putInt(at.getNano());
    p.putLong(high ^ low).putShort((short) id.length).put(id).flip();
    try {
      journal.append(DiskJournal.SNAPSHOT, p);
    } catch (IOException e) {
      throw fault("record snapshot " + snapshotId, journal.file(), e);
    }
  }

  @Override
  public void snapshotDeleted(long high, long low, long seq) {
    ByteBuffer p = DiskJournal.payload(16);
    p.putLong(seq).putLong(high ^ low).flip();
    try {
      journal.append(DiskJournal.SNAPSHOT_DELETED, p);
    } catch (IOException e) {
      throw fault("record snapshot deletion", journal.file(), e);
    }
  }

  @Override
  public void extended(long capacity) {
    ByteBuffer p = DiskJournal.payload(8);
    p.putLong(capacity).flip();
    try {
      journal.append(DiskJournal.EXTENDED, p);
    } catch (IOException e) {
      throw fault("record extension", journal.file(), e);
    }
  }

  @Override
  public void trackingDisabled(long high, long low) {
    // Retire the generation's files first: a journal that later lost this record must not find
    // the epochs of a generation that no longer saw every write.
    try {
      engineStore.moveToTrash(generationDir(high, low));
      journal.append(DiskJournal.DISABLED, DiskJournal.payload(0));
    } catch (IOException e) {
      throw fault("disable tracking", journal.file(), e);
    }
  }

  @Override
  public void epochFrozen(long high, long low, Epoch epoch) {
    Path g = generationDir(high, low);
    if (!Files.isDirectory(g) || epoch.isLost()) {
      return;
    }
    long k = epoch.number();
    try {
      EpochFile.write(epochFile(g, k), high, low, k, epoch.frozen());
      if (epoch.intentLog() != null) {
        epoch.intentLog().close();
      }
      Files.deleteIfExists(intentFile(g, k));
      Files.deleteIfExists(openFile(g, k));
    } catch (IOException | RuntimeException e) {
      if (!Files.isDirectory(g)) {
        // The generation was retired meanwhile (tracking disabled, disk deleted): its epochs are
        // no longer wanted, and no write-intent log stays behind.
        LOG.log(
            System.Logger.Level.DEBUG,
            "frozen epoch not persisted, its generation was retired: dir=" + g + ", epoch=" + k);
        return;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "could not persist frozen epoch; its write-intent log stays: dir=" + g + ", epoch=" + k,
          e);
    }
  }

  @Override
  public void closeClean(long high, long low, EpochLog log) {
    Path g = generationDir(high, low);
    try {
      for (long k = 1; k <= log.lastCut(); k++) {
        Epoch e = log.epoch(k);
        if (!e.isLost() && !Files.isRegularFile(epochFile(g, k))) {
          EpochFile.write(epochFile(g, k), high, low, k, e.frozen());
          Files.deleteIfExists(intentFile(g, k));
        }
        if (e.intentLog() != null) {
          e.intentLog().close();
        }
      }
      Epoch open = log.cut(null);
      EpochFile.write(openFile(g, open.number()), high, low, open.number(), open.freeze());
      if (open.intentLog() != null) {
        open.intentLog().close();
      }
    } catch (IOException e) {
      throw fault("save epochs on close", g, e);
    }
  }

  @Override
  public void deleted() {
    try {
      journal.close();
      engineStore.moveToTrash(dir);
    } catch (IOException e) {
      throw fault("delete disk", dir, e);
    }
  }

  @Override
  public void close() {
    closeJournal();
  }

  void closeJournal() {
    try {
      journal.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing journal failed: " + journal.file(), e);
    }
  }

  BlockSet readEpoch(long high, long low, long k) {
    return EpochFile.read(epochFile(generationDir(high, low), k), high, low, k);
  }

  RegionIntentLog.Content readIntents(long high, long low, long k) {
    return RegionIntentLog.read(intentFile(generationDir(high, low), k), high, low, k, regionShift);
  }

  BlockSet readOpen(long high, long low, long k) {
    return EpochFile.read(openFile(generationDir(high, low), k), high, low, k);
  }

  void writeEpoch(long high, long low, long k, BlockSet content) throws IOException {
    EpochFile.write(epochFile(generationDir(high, low), k), high, low, k, content);
  }

  void writeOpen(long high, long low, long k, BlockSet content) throws IOException {
    EpochFile.write(openFile(generationDir(high, low), k), high, low, k, content);
  }

  Path dir() {
    return dir;
  }
}
