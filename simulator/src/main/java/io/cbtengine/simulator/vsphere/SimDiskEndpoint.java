package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.TrackedDisk;
import java.util.Map;
import java.util.Set;

/**
 * The simulator-only calls under {@code /cbt-sim/disks}: what a hypervisor does to a disk and a
 * backup client cannot, so that a test can drive a live host. No real vSphere has these paths. They
 * take the same session header and fault bodies as the VI/JSON calls. Thread-safe.
 *
 * <pre>
 * GET  /cbt-sim/disks                         list the disks
 * GET  /cbt-sim/disks/{id}                    one disk
 * POST /cbt-sim/disks/{id}/create             {"capacityBytes", "blockSize"?, "initiallyEmpty"?,
 *                                              "maxExtentsPerReply"?, "maxWindowBytes"?}
 * POST /cbt-sim/disks/{id}/write              {"offset", "length"}: record a write
 * POST /cbt-sim/disks/{id}/extend             {"capacityBytes"}
 * POST /cbt-sim/disks/{id}/changeTracking     {"enabled"}
 * POST /cbt-sim/disks/{id}/delete             {}
 * </pre>
 */
final class SimDiskEndpoint {
  static final String PREFIX = "/cbt-sim/disks";

  static final Map<String, Set<String>> ACTIONS =
      Map.of(
          "create",
          VimRequestBody.params(
              "capacityBytes",
              "blockSize",
              "initiallyEmpty",
              "maxExtentsPerReply",
              "maxWindowBytes"),
          "write",
          VimRequestBody.params("offset", "length"),
          "extend",
          VimRequestBody.params("capacityBytes"),
          "changeTracking",
          VimRequestBody.params("enabled"),
          "delete",
          VimRequestBody.params());

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ChangeTracker tracker;
  private final DiskOptions defaults;
  private final VslmStorageObjectEndpoint vslm;

  SimDiskEndpoint(ChangeTracker tracker, DiskOptions defaults, VslmStorageObjectEndpoint vslm) {
    this.tracker = tracker;
    this.defaults = defaults;
    this.vslm = vslm;
  }

  /** {@code GET /cbt-sim/disks}. */
  JsonNode list() {
    ObjectNode reply = JSON.objectNode();
    reply.put("_typeName", "CbtSimDiskList");
    ArrayNode disks = reply.putArray("disks");
    for (TrackedDisk d : tracker.disks()) {
      disks.add(describe(d));
    }
    return reply;
  }

  /** {@code GET /cbt-sim/disks/{id}}. */
  JsonNode get(String id) {
    return describe(tracker.disk(new DiskId(id)));
  }

  /** {@code POST /cbt-sim/disks/{id}/{action}}; null for an action that replies nothing. */
  JsonNode call(String id, String action, VimRequestBody p) {
    DiskId disk = new DiskId(id);
    switch (action) {
      case "create":
        return describe(tracker.createDisk(disk, p.requiredLong("capacityBytes"), options(p)));
      case "write":
        tracker.disk(disk).recordWrite(p.requiredLong("offset"), p.requiredLong("length"));
        return null;
      case "extend":
        TrackedDisk d = tracker.disk(disk);
        d.extend(p.requiredLong("capacityBytes"));
        return describe(d);
      case "changeTracking":
        TrackedDisk t = tracker.disk(disk);
        if (p.requiredBoolean("enabled")) {
          t.enableChangeTracking();
        } else {
          t.disableChangeTracking();
        }
        return describe(t);
      case "delete":
        tracker.deleteDisk(disk);
        vslm.forget(disk);
        return null;
      default:
        throw VimFault.notFoundPath("unknown simulator action: action=" + action);
    }
  }

  private DiskOptions options(VimRequestBody p) {
    DiskOptions.Builder b = defaults.toBuilder();
    if (p.has("blockSize")) {
      b.blockSize(p.optionalInt("blockSize", 0));
    }
    if (p.has("initiallyEmpty")) {
      b.initiallyEmpty(p.requiredBoolean("initiallyEmpty"));
    }
    if (p.has("maxExtentsPerReply")) {
      b.maxExtentsPerReply(p.optionalInt("maxExtentsPerReply", 0));
    }
    if (p.has("maxWindowBytes")) {
      b.maxWindowBytes(p.requiredLong("maxWindowBytes"));
    }
    return b.build();
  }

  private static ObjectNode describe(TrackedDisk d) {
    DiskOptions o = d.options();
    ObjectNode node = JSON.objectNode();
    node.put("_typeName", "CbtSimDisk");
    node.set("id", VimJson.id(d.id().value()));
    node.put("capacityBytes", d.capacityBytes());
    node.put("blockSize", d.blockSize());
    node.put("changeTrackingEnabled", d.changeTrackingEnabled());
    node.put("initiallyEmpty", o.initiallyEmpty());
    node.put("maxExtentsPerReply", o.maxExtentsPerReply());
    if (o.maxWindowBytes() != Long.MAX_VALUE) {
      // Unlimited is left out: 2^63-1 does not survive clients that read numbers as doubles.
      node.put("maxWindowBytes", o.maxWindowBytes());
    }
    return node;
  }
}
