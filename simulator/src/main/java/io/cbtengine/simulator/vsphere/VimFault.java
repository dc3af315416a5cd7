package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cbtengine.api.CbtFault;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.InvalidArgumentException;

/**
 * A vSphere fault on its way to the wire: the fault's type name, its {@code faultstring}, its own
 * fields, and the HTTP status that carries it (500 for every fault a method raises, as vSphere
 * does; 404 and 405 only for requests that name no method at all).
 *
 * <p>Immutable; carries no stack trace, since it describes a client's mistake rather than a bug.
 * The body it renders never holds a request's credentials: no factory takes them.
 */
final class VimFault extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final int httpStatus;
  private final String typeName;
  private final transient ObjectNode fields;

  private VimFault(int httpStatus, String typeName, String faultstring, ObjectNode fields) {
    super(faultstring, null, false, false);
    this.httpStatus = httpStatus;
    this.typeName = typeName;
    this.fields = fields;
  }

  /** vmodl's {@code InvalidRequest}: malformed JSON, a wrong type, a missing or unknown field. */
  static VimFault invalidRequest(String faultstring) {
    return new VimFault(500, "InvalidRequest", faultstring, JSON.objectNode());
  }

  /** {@code InvalidRequest} for a path that names no method: unknown prefix or release. */
  static VimFault notFoundPath(String faultstring) {
    return new VimFault(404, "InvalidRequest", faultstring, JSON.objectNode());
  }

  /** {@code InvalidRequest} for an HTTP verb the path does not take. */
  static VimFault methodNotAllowed(String faultstring) {
    return new VimFault(405, "InvalidRequest", faultstring, JSON.objectNode());
  }

  /** vim's {@code InvalidLogin}; says nothing about which of user name and password was wrong. */
  static VimFault invalidLogin() {
    return new VimFault(
        500,
        "InvalidLogin",
        "Cannot complete login due to an incorrect user name or password.",
        JSON.objectNode());
  }

  /** vim's {@code NotAuthenticated}: no session header, or one naming no live session. */
  static VimFault notAuthenticated(String moType, String moId) {
    ObjectNode fields = JSON.objectNode();
    fields.set("object", VimJson.moRef(moType, moId));
    fields.put("privilegeId", "System.View");
    return new VimFault(500, "NotAuthenticated", "The session is not authenticated.", fields);
  }

  /** vmodl's {@code MethodNotFound}: the managed object has no such method. */
  static VimFault methodNotFound(String moType, String moId, String method) {
    ObjectNode fields = JSON.objectNode();
    fields.set("receiver", VimJson.moRef(moType, moId));
    fields.put("method", method);
    return new VimFault(
        500,
        "MethodNotFound",
        "method not found: method=" + method + ", receiver=" + moType + ":" + moId,
        fields);
  }

  /** vmodl's {@code ManagedObjectNotFound}: a moRef naming no object, e.g. an expired task. */
  static VimFault managedObjectNotFound(String moType, String moId) {
    ObjectNode fields = JSON.objectNode();
    fields.set("obj", VimJson.moRef(moType, moId));
    return new VimFault(
        500,
        "ManagedObjectNotFound",
        "the object has already been deleted or has not been completely created: obj="
            + moType
            + ":"
            + moId,
        fields);
  }

  /** vmodl's {@code InvalidArgument} raised by the endpoint itself. */
  static VimFault invalidArgument(String invalidProperty, String faultstring) {
    ObjectNode fields = JSON.objectNode();
    fields.put("invalidProperty", invalidProperty);
    return new VimFault(500, "InvalidArgument", faultstring, fields);
  }

  /** vmodl's {@code SystemError}: a bug in the simulator, reported without a stack trace. */
  static VimFault systemError(String reason) {
    ObjectNode fields = JSON.objectNode();
    fields.put("reason", reason);
    return new VimFault(500, "SystemError", "A general system error occurred: " + reason, fields);
  }

  /** The engine's fault as vSphere puts it on the wire, with the fields of its type. */
  static VimFault of(CbtFault fault) {
    ObjectNode fields = JSON.objectNode();
    if (fault instanceof InvalidArgumentException e) {
      fields.put("invalidProperty", e.invalidProperty());
    } else if (fault instanceof FileFaultException e) {
      fields.put("file", e.file());
      ArrayNode messages = fields.putArray("faultMessage");
      messages
          .addObject()
          .put("_typeName", "LocalizableMessage")
          .put("key", e.faultMessageKey())
          .put("message", e.getMessage());
    }
    return new VimFault(500, fault.faultType(), fault.getMessage(), fields);
  }

  int httpStatus() {
    return httpStatus;
  }

  String typeName() {
    return typeName;
  }

  /** The fault object: {@code _typeName}, {@code faultstring}, then the type's own fields. */
  ObjectNode toJson() {
    ObjectNode node = JSON.objectNode();
    node.put("_typeName", typeName);
    node.put("faultstring", getMessage());
    node.setAll(fields.deepCopy());
    return node;
  }
}
