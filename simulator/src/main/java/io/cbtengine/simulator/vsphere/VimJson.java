package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The vSphere data objects the endpoint writes, in VI/JSON form: every object opens with its {@code
 * _typeName}; optional fields that are unset are left out rather than written as null. Stateless
 * and thread-safe.
 */
final class VimJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private VimJson() {}

  /** A {@code ManagedObjectReference}: {@code {"_typeName":..., "type":..., "value":...}}. */
  static ObjectNode moRef(String type, String value) {
    ObjectNode node = JSON.objectNode();
    node.put("_typeName", "ManagedObjectReference");
    node.put("type", type);
    node.put("value", value);
    return node;
  }

  /** vSphere's {@code ID} of a virtual storage object or of a snapshot. */
  static ObjectNode id(String value) {
    ObjectNode node = JSON.objectNode();
    node.put("_typeName", "ID");
    node.put("id", value);
    return node;
  }

  /** {@code DiskChangeInfo}; {@code changedArea} is left out when no extent changed. */
  static ObjectNode diskChangeInfo(DiskChangeInfo info) {
    ObjectNode node = JSON.objectNode();
    node.put("_typeName", "DiskChangeInfo");
    node.put("startOffset", info.startOffset());
    node.put("length", info.length());
    if (!info.changedArea().isEmpty()) {
      ArrayNode area = node.putArray("changedArea");
      for (DiskChangeExtent e : info.changedArea()) {
        area.addObject()
            .put("_typeName", "DiskChangeExtent")
            .put("start", e.start())
            .put("length", e.length());
      }
    }
    return node;
  }

  /** An {@code xsd:dateTime} in UTC to the millisecond, as vSphere writes them. */
  static String dateTime(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }
}
