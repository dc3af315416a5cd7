package io.cbtengine.simulator.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A backup application's incremental-backup flow against the server, as a vSphere client runs it,
 * checked against a truth the flow keeps itself: which bytes it wrote between snapshots.
 *
 * <p>Disk: 16 MiB, 4 KiB blocks, replies shaped to at most 3 extents and 4 MiB of window, so the
 * paging loop takes several rounds. Truth is a bitmap of written bytes; the engine in memory
 * reports exactly the written blocks, so the check is equality with the block-rounded truth (and
 * thereby also "no byte missed").
 */
final class BackupFlow {
  static final String RELEASE = "8.0.3.0";
  static final String VSLM =
      "/sdk/vim25/" + RELEASE + "/vslm/VslmVStorageObjectManager/VStorageObjectManager/";
  static final String SESSION = "/sdk/vim25/" + RELEASE + "/SessionManager/SessionManager/";
  static final long MIB = 1L << 20;
  static final int BLOCK = 4096;

  private final VimTransport http;
  private final String disk;
  private String session;

  BackupFlow(VimTransport http, String disk) {
    this.http = http;
    this.disk = disk;
  }

  /** Runs the whole flow; every check is an assertion. */
  void run(String user, String password) throws Exception {
    // Login.
    VimTransport.Reply login =
        http.post(
            SESSION + "Login",
            "{\"userName\":\"" + user + "\",\"password\":\"" + password + "\"}",
            null);
    assertEquals(200, login.status(), login.rawBody());
    assertEquals("UserSession", login.body().get("_typeName").asText());
    session = login.sessionHeader();
    assertNotNull(session, "no vmware-api-session-id header");

    // The hypervisor side: a disk with content the engine never saw written.
    long capacity = 16 * MIB;
    ok(
        http.post(
            "/cbt-sim/disks/" + disk + "/create",
            "{\"capacityBytes\":"
                + capacity
                + ",\"blockSize\":"
                + BLOCK
                + ",\"maxExtentsPerReply\":3,\"maxWindowBytes\":"
                + 4 * MIB
                + "}",
            session));
    SplittableRandom random = new SplittableRandom(disk.hashCode());
    write(random, capacity, 5, new BitSet());

    // Snapshot 1 and full backup with "*": a disk not declared empty is reported whole.
    String snap1 = createSnapshot();
    String change1 = changeId(snap1);
    long clientCapacity =
        ok(http.post(VSLM + "VslmRetrieveVStorageObject", idBody(), session))
                .get("config")
                .get("capacityInMB")
                .asLong()
            * MIB;
    assertEquals(capacity, clientCapacity);
    BitSet full = backup(snap1, "*", clientCapacity);
    assertEquals(capacity / BLOCK, full.cardinality(), "full backup must cover the disk");

    // Writes, snapshot 2, incremental backup from snapshot 1.
    BitSet truth2 = new BitSet();
    write(random, capacity, 40, truth2);
    String snap2 = createSnapshot();
    assertEquals(truth2, backup(snap2, change1, capacity), "incremental 1 -> 2");

    // Backup software deletes the old snapshot; its changeId stays a valid starting point.
    deleteSnapshot(snap1);
    JsonNode snaps = ok(http.post(VSLM + "VslmRetrieveSnapshots", idBody(), session));
    assertEquals(1, snaps.get("snapshots").size());
    assertEquals(snap2, snaps.get("snapshots").get(0).get("id").get("id").asText());
    assertEquals(truth2, backup(snap2, change1, capacity), "after deleting snapshot 1");

    // Same changeId as the snapshot: one empty window, changedArea left out.
    String change2 = changeId(snap2);
    JsonNode empty = query(snap2, 0, change2);
    assertEquals(4 * MIB, empty.get("length").asLong(), "one window of maxWindowBytes");
    assertNull(empty.get("changedArea"), "changedArea must be left out when empty");

    // The disk grows; writes on both sides of the old end; snapshot 3 from snapshot 2.
    long grown = capacity + 4 * MIB;
    ok(
        http.post(
            "/cbt-sim/disks/" + disk + "/extend", "{\"capacityBytes\":" + grown + "}", session));
    BitSet truth3 = new BitSet();
    writeRange(capacity - 3 * BLOCK, 5 * BLOCK, truth3);
    write(random, grown, 20, truth3);
    String snap3 = createSnapshot();
    assertEquals(truth3, backup(snap3, change2, grown), "incremental 2 -> 3 across the extension");
    deleteSnapshot(snap2);
    deleteSnapshot(snap3);

    // Logout ends the session.
    assertEquals(204, http.post(SESSION + "Logout", null, session).status());
    VimTransport.Reply after = http.post(VSLM + "VslmRetrieveSnapshots", idBody(), session);
    assertEquals(500, after.status());
    assertEquals("NotAuthenticated", after.body().get("_typeName").asText());
  }

  private void write(SplittableRandom random, long capacity, int count, BitSet truth)
      throws Exception {
    for (int i = 0; i < count; i++) {
      long offset = random.nextLong(capacity - 1);
      long length = 1 + random.nextLong(Math.min(256 * 1024, capacity - offset));
      writeRange(offset, length, truth);
    }
  }

  private void writeRange(long offset, long length, BitSet truthBlocks) throws Exception {
    VimTransport.Reply r =
        http.post(
            "/cbt-sim/disks/" + disk + "/write",
            "{\"offset\":" + offset + ",\"length\":" + length + "}",
            session);
    assertEquals(204, r.status(), r.rawBody());
    truthBlocks.set((int) (offset / BLOCK), (int) ((offset + length - 1) / BLOCK) + 1);
  }

  private String createSnapshot() throws Exception {
    JsonNode task =
        ok(
            http.post(
                VSLM + "VslmCreateSnapshot_Task",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
                    + disk
                    + "\"},\"description\":\"backup\"}",
                session));
    assertEquals("ManagedObjectReference", task.get("_typeName").asText());
    assertEquals("VslmTask", task.get("type").asText());
    String taskPath = "/sdk/vim25/" + RELEASE + "/vslm/VslmTask/" + task.get("value").asText();
    JsonNode info = ok(http.post(taskPath + "/VslmQueryInfo", null, session));
    assertEquals("success", info.get("state").asText());
    JsonNode result = ok(http.post(taskPath + "/VslmQueryTaskResult", null, session));
    assertEquals("ID", result.get("_typeName").asText());
    assertEquals(result, info.get("result"));
    return result.get("id").asText();
  }

  private void deleteSnapshot(String snapshot) throws Exception {
    JsonNode task = ok(http.post(VSLM + "VslmDeleteSnapshot_Task", idBody(snapshot), session));
    String taskPath = "/sdk/vim25/" + RELEASE + "/vslm/VslmTask/" + task.get("value").asText();
    assertEquals(
        "success", ok(http.post(taskPath + "/VslmQueryInfo", null, session)).get("state").asText());
  }

  private String changeId(String snapshot) throws Exception {
    JsonNode details =
        ok(http.post(VSLM + "VslmRetrieveSnapshotDetails", idBody(snapshot), session));
    assertEquals("VStorageObjectSnapshotDetails", details.get("_typeName").asText());
    return details.get("changedBlockTrackingId").asText();
  }

  /** The client's paging loop; checks the reply invariants and returns the blocks reported. */
  private BitSet backup(String snapshot, String changeId, long capacity) throws Exception {
    BitSet blocks = new BitSet();
    int replies = 0;
    long off = 0;
    while (off < capacity) {
      JsonNode r = query(snapshot, off, changeId);
      replies++;
      assertEquals("DiskChangeInfo", r.get("_typeName").asText());
      assertEquals(off, r.get("startOffset").asLong());
      long length = r.get("length").asLong();
      assertTrue(length > 0 && off + length <= capacity, r.toString());
      long prevEnd = -1;
      JsonNode area = r.get("changedArea");
      if (area != null) {
        assertFalse(area.isEmpty(), "changedArea present but empty");
        assertTrue(area.size() <= 3, "maxExtentsPerReply=3 exceeded: " + area.size());
        for (JsonNode e : area) {
          assertEquals("DiskChangeExtent", e.get("_typeName").asText());
          long start = e.get("start").asLong();
          long len = e.get("length").asLong();
          assertTrue(
              len > 0 && start > prevEnd && start >= off && start + len <= off + length,
              "extent out of order or outside the window: " + r);
          prevEnd = start + len;
          blocks.set((int) (start / BLOCK), (int) ((start + len - 1) / BLOCK) + 1);
        }
      }
      off += length;
    }
    assertEquals(capacity, off);
    assertTrue(replies >= capacity / (4 * MIB), "maxWindowBytes not applied: replies=" + replies);
    return blocks;
  }

  private JsonNode query(String snapshot, long off, String changeId) throws Exception {
    return ok(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas",
            "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
                + disk
                + "\"},"
                + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
                + snapshot
                + "\"},"
                + "\"startOffset\":"
                + off
                + ",\"changeId\":\""
                + changeId
                + "\"}",
            session));
  }

  private String idBody() {
    return "{\"id\":{\"_typeName\":\"ID\",\"id\":\"" + disk + "\"}}";
  }

  private String idBody(String snapshot) {
    return "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
        + disk
        + "\"},"
        + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
        + snapshot
        + "\"}}";
  }

  /**
   * {@code VslmCreateSnapshot_Task} on {@code disk}, then the task's result: the new snapshot's id.
   * {@code description} is left out of the request when {@code null}.
   */
  static String snapshot(VimTransport http, String session, String disk, String description)
      throws Exception {
    String body =
        "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
            + disk
            + "\"}"
            + (description == null ? "" : ",\"description\":\"" + description + "\"")
            + "}";
    JsonNode task = ok(http.post(VSLM + "VslmCreateSnapshot_Task", body, session));
    String taskPath = "/sdk/vim25/" + RELEASE + "/vslm/VslmTask/" + task.get("value").asText();
    return ok(http.post(taskPath + "/VslmQueryTaskResult", null, session)).get("id").asText();
  }

  static JsonNode ok(VimTransport.Reply r) {
    assertEquals(200, r.status(), () -> "expected 200, got " + r.status() + ": " + r.rawBody());
    return r.body();
  }
}
