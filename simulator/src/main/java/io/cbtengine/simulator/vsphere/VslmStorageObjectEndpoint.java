package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The methods of the managed object {@code VslmVStorageObjectManager:VStorageObjectManager}: the
 * VSLM calls a backup client makes, on the engine's disks. Thread-safe, as the engine is.
 *
 * <p>Tasks ({@code ..._Task}) complete before the call returns; the reply is the task's moRef, and
 * the task's outcome is read with {@code VslmQueryInfo} or {@code VslmQueryTaskResult} on it. A
 * fault the engine raises while a task runs (unknown disk, tracking disabled) becomes the task's
 * error, as on a real host; a malformed parameter is a fault of the call itself.
 */
final class VslmStorageObjectEndpoint {
  static final String MO_TYPE = "VslmVStorageObjectManager";
  static final String MO_ID = "VStorageObjectManager";

  /** The parameters of each method, in the order vSphere declares them. */
  static final Map<String, Set<String>> METHODS =
      Map.of(
          "VslmQueryChangedDiskAreas",
          VimRequestBody.params("id", "snapshotId", "startOffset", "changeId"),
          "VslmCreateSnapshot_Task",
          VimRequestBody.params("id", "description"),
          "VslmDeleteSnapshot_Task",
          VimRequestBody.params("id", "snapshotId"),
          "VslmRetrieveSnapshots",
          VimRequestBody.params("id"),
          "VslmRetrieveSnapshotDetails",
          VimRequestBody.params("id", "snapshotId"),
          "VslmRetrieveVStorageObject",
          VimRequestBody.params("id"));

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ChangeTracker tracker;
  private final VslmTaskTable tasks;
  private final Map<DiskId, Map<SnapshotId, String>> descriptions = new ConcurrentHashMap<>();

  VslmStorageObjectEndpoint(ChangeTracker tracker, VslmTaskTable tasks) {
    this.tracker = tracker;
    this.tasks = tasks;
  }

  /** Calls {@code method}; returns its reply, or null for a method that returns nothing. */
  JsonNode call(String method, VimRequestBody p) {
    switch (method) {
      case "VslmQueryChangedDiskAreas":
        {
          DiskId disk = diskId(p);
          String snapshot = p.requiredId("snapshotId");
          long startOffset = p.requiredLong("startOffset");
          String changeId = p.requiredString("changeId");
          return VimJson.diskChangeInfo(
              onSnapshot(
                  disk,
                  snapshot,
                  s -> tracker.queryChangedDiskAreas(disk, s, startOffset, changeId)));
        }
      case "VslmCreateSnapshot_Task":
        return createSnapshot(diskId(p), p.optionalString("description", ""));
      case "VslmDeleteSnapshot_Task":
        return deleteSnapshot(diskId(p), p.requiredId("snapshotId"));
      case "VslmRetrieveSnapshots":
        return retrieveSnapshots(diskId(p));
      case "VslmRetrieveSnapshotDetails":
        {
          DiskId disk = diskId(p);
          return onSnapshot(
              disk, p.requiredId("snapshotId"), s -> retrieveSnapshotDetails(disk, s));
        }
      case "VslmRetrieveVStorageObject":
        return retrieveVStorageObject(tracker.disk(diskId(p)));
      default:
        throw VimFault.methodNotFound(MO_TYPE, MO_ID, method);
    }
  }

  /** Forgets what the endpoint keeps about a disk (snapshot descriptions) once it is deleted. */
  void forget(DiskId disk) {
    descriptions.remove(disk);
  }

  private JsonNode createSnapshot(DiskId disk, String description) {
    String task =
        tasks.run(
            "VslmCreateSnapshot_Task",
            "com.vmware.vslm.vstorageobject.createSnapshot",
            disk.value(),
            () -> {
              SnapshotInfo s = tracker.disk(disk).createSnapshot();
              descriptions
                  .computeIfAbsent(disk, d -> new ConcurrentHashMap<>())
                  .put(s.id(), description);
              return VimJson.id(s.id().value());
            });
    return VimJson.moRef(VslmTaskTable.MO_TYPE, task);
  }

  private JsonNode deleteSnapshot(DiskId disk, String snapshotId) {
    String task =
        tasks.run(
            "VslmDeleteSnapshot_Task",
            "com.vmware.vslm.vstorageobject.deleteSnapshot",
            disk.value(),
            () ->
                onSnapshot(
                    disk,
                    snapshotId,
                    snapshot -> {
                      tracker.disk(disk).deleteSnapshot(snapshot);
                      Map<SnapshotId, String> d = descriptions.get(disk);
                      if (d != null) {
                        d.remove(snapshot);
                      }
                      return NullNode.instance;
                    }));
    return VimJson.moRef(VslmTaskTable.MO_TYPE, task);
  }

  private JsonNode retrieveSnapshots(DiskId disk) {
    ObjectNode reply = JSON.objectNode();
    reply.put("_typeName", "VStorageObjectSnapshotInfo");
    ArrayNode list = reply.putArray("snapshots");
    Map<SnapshotId, String> d = descriptions.getOrDefault(disk, Map.of());
    for (SnapshotInfo s : tracker.disk(disk).snapshots()) {
      list.addObject()
          .put("_typeName", "VStorageObjectSnapshotInfoVStorageObjectSnapshot")
          .<ObjectNode>set("id", VimJson.id(s.id().value()))
          .<ObjectNode>set("backingObjectId", JSON.textNode(disk.value()))
          .put("createTime", VimJson.dateTime(s.createdAt()))
          .put("description", d.getOrDefault(s.id(), ""));
    }
    return reply;
  }

  private JsonNode retrieveSnapshotDetails(DiskId disk, SnapshotId snapshot) {
    SnapshotInfo s = tracker.disk(disk).snapshot(snapshot);
    ObjectNode reply = JSON.objectNode();
    reply.put("_typeName", "VStorageObjectSnapshotDetails");
    reply.put("path", filePath(disk).replace(".vmdk", "-" + s.id().value() + ".vmdk"));
    reply.put("changedBlockTrackingId", s.changeId().toString());
    reply.put("parentPath", filePath(disk));
    reply.put("snapshotDirectoryPath", "[cbt-sim] " + disk.value() + "/");
    return reply;
  }

  /**
   * vSphere's {@code VStorageObject}. {@code capacityInMB} is rounded up; the exact capacity in
   * bytes is the simulator's {@code GET /cbt-sim/disks/{id}}.
   */
  static ObjectNode retrieveVStorageObject(TrackedDisk disk) {
    long mib = 1L << 20;
    ObjectNode config = JSON.objectNode();
    config.put("_typeName", "VStorageObjectConfigInfo");
    config.set("id", VimJson.id(disk.id().value()));
    config.put("name", disk.id().value());
    config.put("capacityInMB", (disk.capacityBytes() + mib - 1) / mib);
    config.put("changedBlockTrackingEnabled", disk.changeTrackingEnabled());
    ObjectNode backing = config.putObject("backing");
    backing.put("_typeName", "BaseConfigInfoDiskFileBackingInfo");
    backing.put("filePath", filePath(disk.id()));
    backing.put("provisioningType", "thin");

    ObjectNode reply = JSON.objectNode();
    reply.put("_typeName", "VStorageObject");
    reply.set("config", config);
    return reply;
  }

  private static String filePath(DiskId disk) {
    return "[cbt-sim] " + disk.value() + "/" + disk.value() + ".vmdk";
  }

  /**
   * The disk a request names. An id no disk can have (outside {@code [A-Za-z0-9._:-]}, empty, too
   * long) names an unknown disk: {@code NotFound}, first in the contract's order, as vSphere
   * answers; not a bad argument.
   */
  private static DiskId diskId(VimRequestBody p) {
    String raw = p.requiredId("id");
    try {
      return new DiskId(raw);
    } catch (InvalidArgumentException e) {
      throw new NotFoundException("disk not found: disk=" + raw);
    }
  }

  /**
   * Runs {@code call} with the snapshot a request names. An id no snapshot can have is passed as
   * {@code null}: the engine then runs its earlier checks in the contract's order (unknown disk,
   * tracking disabled) and refuses the snapshot as unknown, and that {@code NotFound} is given
   * again naming the id as sent. It was {@code InvalidArgument}, ahead of every other check.
   */
  private <T> T onSnapshot(DiskId disk, String snapshotId, Function<SnapshotId, T> call) {
    SnapshotId snapshot;
    try {
      snapshot = new SnapshotId(snapshotId);
    } catch (InvalidArgumentException e) {
      snapshot = null;
    }
    try {
      return call.apply(snapshot);
    } catch (NotFoundException e) {
      if (snapshot == null && tracker.findDisk(disk).isPresent()) {
        throw new NotFoundException(
            "snapshot not found: disk=" + disk + ", snapshot=" + snapshotId);
      }
      throw e;
    }
  }
}
