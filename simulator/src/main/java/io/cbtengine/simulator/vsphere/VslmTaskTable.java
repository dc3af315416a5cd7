package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cbtengine.api.CbtFault;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code VslmTask} objects of one server. Every task of the simulator completes before the
 * method that starts it returns, so a task is a record of an outcome: a result, or the fault the
 * engine raised. Thread-safe (synchronized map operations; the work runs outside the lock).
 *
 * <p>Keeps the latest {@code capacity} tasks; an older one is gone, and asking for it is vSphere's
 * {@code ManagedObjectNotFound}, as for a task a real host has purged.
 */
final class VslmTaskTable {
  static final String MO_TYPE = "VslmTask";

  /** A finished task: exactly one of {@code result} (may be JSON null) and {@code error} is set. */
  record Task(
      String moId,
      String name,
      String descriptionId,
      String entityId,
      JsonNode result,
      VimFault error,
      Instant queueTime,
      Instant completeTime) {}

  private final int capacity;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private long nextNumber = 1;

  VslmTaskTable(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Runs {@code work} as the task {@code name} on the storage object {@code entityId} and records
   * its outcome: success with the returned result, or error with the fault the engine raised.
   *
   * @return the task's moId
   */
  String run(String name, String descriptionId, String entityId, Supplier<JsonNode> work) {
    Instant queued = Instant.now();
    JsonNode result = null;
    VimFault error = null;
    try {
      result = work.get();
    } catch (CbtFault e) {
      error = VimFault.of(e);
    } catch (VimFault e) {
      error = e;
    }

    synchronized (this) {
      String moId = "task-" + nextNumber++;
      tasks.put(
          moId,
          new Task(moId, name, descriptionId, entityId, result, error, queued, Instant.now()));
      if (tasks.size() > capacity) {
        var oldest = tasks.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      return moId;
    }
  }

  /**
   * @throws VimFault {@code ManagedObjectNotFound} if no such task is kept
   */
  synchronized Task get(String moId) {
    Task t = tasks.get(moId);
    if (t == null) {
      throw VimFault.managedObjectNotFound(MO_TYPE, moId);
    }
    return t;
  }

  /** vSphere's {@code VslmTaskInfo} of the task. */
  static ObjectNode info(Task t) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("_typeName", "VslmTaskInfo");
    node.put("key", t.moId());
    node.set("task", VimJson.moRef(MO_TYPE, t.moId()));
    node.put("name", t.name());
    node.put("descriptionId", t.descriptionId());
    node.put("entityName", t.entityId());
    node.put("state", t.error() == null ? "success" : "error");
    node.put("cancelled", false);
    node.put("cancelable", false);
    if (t.error() != null) {
      node.set("error", t.error().toJson());
    } else if (t.result() != null && !t.result().isNull()) {
      node.set("result", t.result());
    }
    node.put("queueTime", VimJson.dateTime(t.queueTime()));
    node.put("startTime", VimJson.dateTime(t.queueTime()));
    node.put("completeTime", VimJson.dateTime(t.completeTime()));
    return node;
  }
}
