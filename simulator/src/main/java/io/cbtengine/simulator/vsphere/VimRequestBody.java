package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The parameters of one method call: a JSON object whose fields are the method's parameters, as
 * VI/JSON sends them. Accessors check presence and type and raise {@code InvalidRequest} naming the
 * parameter, so that no malformed body reaches the engine. Not thread-safe; one per request.
 *
 * <p>Rules: an empty body is an empty object; {@code _typeName} is accepted on every object and
 * must match where the type is fixed ({@code ID}); a field the method does not take is an error, so
 * a misspelt optional parameter is not silently ignored.
 */
final class VimRequestBody {
  private final String method;
  private final ObjectNode node;

  private VimRequestBody(String method, ObjectNode node) {
    this.method = method;
    this.node = node;
  }

  /**
   * Parses {@code body} as the parameters of {@code method}, which takes the fields {@code
   * allowed}.
   *
   * @throws VimFault {@code InvalidRequest} if the body is not one JSON object, or has a field
   *     outside {@code allowed}
   */
  static VimRequestBody parse(
      ObjectMapper mapper, String method, byte[] body, Set<String> allowed) {
    if (isBlank(body)) {
      return new VimRequestBody(method, JsonNodeFactory.instance.objectNode());
    }

    JsonNode tree;
    try {
      tree = mapper.readTree(body);
    } catch (JacksonException e) {
      // The parser's message may quote the body; a login body holds a password.
      String problem = method.equals("Login") ? "not valid JSON" : e.getOriginalMessage();
      throw VimFault.invalidRequest("malformed JSON: method=" + method + ", problem=" + problem);
    } catch (java.io.IOException e) {
      throw VimFault.invalidRequest("unreadable body: method=" + method);
    }
    if (tree == null || !tree.isObject()) {
      throw VimFault.invalidRequest(
          "the body must be a JSON object: method=" + method + ", got=" + kind(tree));
    }

    ObjectNode object = (ObjectNode) tree;
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("_typeName") && !allowed.contains(name)) {
        throw VimFault.invalidRequest(
            "unknown parameter: method="
                + method
                + ", name="
                + name
                + ", expected one of "
                + allowed);
      }
    }
    return new VimRequestBody(method, object);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /** The parameter names of a method, in declaration order (as error messages list them). */
  static Set<String> params(String... names) {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(names)));
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  String requiredString(String name) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw wrongType(name, "string", v);
    }
    return v.textValue();
  }

  String optionalString(String name, String fallback) {
    return has(name) ? requiredString(name) : fallback;
  }

  /** An {@code xsd:long}: an integral JSON number within the range of a Java long. */
  long requiredLong(String name) {
    JsonNode v = required(name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrongType(name, "long", v);
    }
    return v.longValue();
  }

  long optionalLong(String name, long fallback) {
    return has(name) ? requiredLong(name) : fallback;
  }

  int optionalInt(String name, int fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrongType(name, "int", v);
    }
    return v.intValue();
  }

  boolean requiredBoolean(String name) {
    JsonNode v = required(name);
    if (!v.isBoolean()) {
      throw wrongType(name, "boolean", v);
    }
    return v.booleanValue();
  }

  boolean optionalBoolean(String name, boolean fallback) {
    return has(name) ? requiredBoolean(name) : fallback;
  }

  /** The {@code id} inside a vSphere {@code ID} object: {@code {"_typeName":"ID","id":"..."}}. */
  String requiredId(String name) {
    JsonNode v = required(name);
    if (!v.isObject()) {
      throw wrongType(name, "ID", v);
    }
    JsonNode type = v.get("_typeName");
    if (type != null && !(type.isTextual() && type.textValue().equals("ID"))) {
      throw VimFault.invalidRequest(
          "wrong _typeName: method=" + method + ", name=" + name + ", expected=ID, got=" + type);
    }
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("_typeName") && !field.equals("id")) {
        throw VimFault.invalidRequest(
            "unknown field of ID: method=" + method + ", name=" + name + ", field=" + field);
      }
    }
    JsonNode id = v.get("id");
    if (id == null || id.isNull()) {
      throw VimFault.invalidRequest(
          "missing parameter: method=" + method + ", name=" + name + ".id");
    }
    if (!id.isTextual()) {
      throw wrongType(name + ".id", "string", id);
    }
    return id.textValue();
  }

  private JsonNode required(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw VimFault.invalidRequest("missing parameter: method=" + method + ", name=" + name);
    }
    return v;
  }

  private VimFault wrongType(String name, String expected, JsonNode got) {
    return VimFault.invalidRequest(
        "wrong type: method="
            + method
            + ", name="
            + name
            + ", expected="
            + expected
            + ", got="
            + kind(got));
  }

  private static String kind(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isIntegralNumber() && !v.canConvertToLong()) {
      return "integer out of range";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
