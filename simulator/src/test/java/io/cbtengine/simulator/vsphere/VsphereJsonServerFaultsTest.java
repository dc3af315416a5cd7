package io.cbtengine.simulator.vsphere;

import static io.cbtengine.simulator.vsphere.BackupFlow.RELEASE;
import static io.cbtengine.simulator.vsphere.BackupFlow.SESSION;
import static io.cbtengine.simulator.vsphere.BackupFlow.VSLM;
import static io.cbtengine.simulator.vsphere.BackupFlow.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every fault over the wire: status, {@code _typeName}, {@code faultstring} and the fault's own
 * fields; never a stack trace; the server keeps serving afterwards.
 */
class VsphereJsonServerFaultsTest {
  private static final String PASSWORD = "pw-never-echoed";
  private static VsphereJsonServer server;
  private static VimTransport http;
  private static String session;

  @BeforeAll
  static void start() throws Exception {
    server =
        VsphereJsonServer.start(
            VsphereJsonServer.Config.builder()
                .userName("backup")
                .password(PASSWORD.toCharArray())
                .build());
    http = new VimTransport.Jdk(URI.create("http://127.0.0.1:" + server.port() + "/"));
    session = login("backup", PASSWORD).sessionHeader();
    ok(http.post("/cbt-sim/disks/d1/create", "{\"capacityBytes\":1048576}", session));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static VimTransport.Reply login(String user, String password) throws Exception {
    return http.post(
        SESSION + "Login",
        "{\"userName\":\"" + user + "\",\"password\":\"" + password + "\"}",
        null);
  }

  /** Asserts a fault reply and returns its body. */
  private static JsonNode fault(VimTransport.Reply r, int status, String typeName) {
    assertEquals(status, r.status(), r.rawBody());
    JsonNode body = r.body();
    assertEquals(typeName, body.get("_typeName").asText(), r.rawBody());
    assertFalse(body.get("faultstring").asText().isEmpty());
    assertFalse(
        r.rawBody().contains("\tat ") || r.rawBody().contains("Exception"),
        "stack trace or exception name leaked: " + r.rawBody());
    assertFalse(r.rawBody().contains(PASSWORD), "password echoed");
    return body;
  }

  private static String query(String disk, String snapshot, String startOffset, String changeId) {
    return "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
        + disk
        + "\"},"
        + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
        + snapshot
        + "\"},"
        + "\"startOffset\":"
        + startOffset
        + ",\"changeId\":"
        + changeId
        + "}";
  }

  private static String snapshot(String disk) throws Exception {
    return BackupFlow.snapshot(http, session, disk, "t");
  }

  @Test
  void login_wrongPassword_isInvalidLoginWithoutSession() throws Exception {
    VimTransport.Reply r = login("backup", "wrong");
    fault(r, 500, "InvalidLogin");
    assertNull(r.sessionHeader());
    fault(login("root", PASSWORD), 500, "InvalidLogin");
  }

  @Test
  void login_malformedBody_isInvalidRequestWithoutEchoingIt() throws Exception {
    VimTransport.Reply r =
        http.post(SESSION + "Login", "{\"userName\":\"backup\",\"password\":" + PASSWORD, null);
    fault(r, 500, "InvalidRequest");
  }

  @Test
  void call_withoutSession_isNotAuthenticated() throws Exception {
    JsonNode body =
        fault(
            http.post(
                VSLM + "VslmRetrieveSnapshots",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"}}",
                null),
            500,
            "NotAuthenticated");
    assertEquals("VslmVStorageObjectManager", body.get("object").get("type").asText());
    assertEquals("VStorageObjectManager", body.get("object").get("value").asText());
    fault(http.get("/cbt-sim/disks", null), 500, "NotAuthenticated");
  }

  @Test
  void call_withUnknownSession_isNotAuthenticated() throws Exception {
    fault(
        http.post(
            VSLM + "VslmRetrieveSnapshots",
            "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"}}",
            "0123456789abcdef"),
        500,
        "NotAuthenticated");
  }

  @Test
  void call_malformedJson_isInvalidRequest() throws Exception {
    String[] bodies = {
      "{\"id\":",
      "{} trailing",
      "[1,2]",
      "\"text\"",
      "{\"id\":1,\"id\":2}",
      "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"}}}"
    };
    for (String bad : bodies) {
      fault(http.post(VSLM + "VslmRetrieveSnapshots", bad, session), 500, "InvalidRequest");
    }
  }

  @Test
  void query_wrongTypes_isInvalidRequestNamingTheParameter() throws Exception {
    String snap = snapshot("d1");
    JsonNode b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "\"0\"", "\"*\""), session),
            500,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("startOffset"), b.toString());
    fault(
        http.post(VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "1.5", "\"*\""), session),
        500,
        "InvalidRequest");
    fault(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas",
            query("d1", snap, "99999999999999999999", "\"*\""),
            session),
        500,
        "InvalidRequest");
    b =
        fault(
            http.post(VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "0", "7"), session),
            500,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("changeId"), b.toString());
    b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas",
                "{\"id\":\"d1\",\"snapshotId\":{\"id\":\""
                    + snap
                    + "\"},\"startOffset\":0,"
                    + "\"changeId\":\"*\"}",
                session),
            500,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("name=id"), b.toString());
    fault(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas",
            "{\"id\":{\"_typeName\":\"Datastore\",\"id\":\"d1\"},\"snapshotId\":{\"id\":\""
                + snap
                + "\"},\"startOffset\":0,\"changeId\":\"*\"}",
            session),
        500,
        "InvalidRequest");
  }

  @Test
  void query_missingOrUnknownField_isInvalidRequestNamingIt() throws Exception {
    JsonNode b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"},\"snapshotId\":{\"id\":\"s\"},"
                    + "\"startOffset\":0}",
                session),
            500,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("name=changeId"), b.toString());
    b =
        fault(
            http.post(
                VSLM + "VslmRetrieveSnapshots",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"},\"datastore\":{}}",
                session),
            500,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("name=datastore"), b.toString());
    fault(http.post(VSLM + "VslmRetrieveSnapshots", null, session), 500, "InvalidRequest");
  }

  @Test
  void query_badArguments_isInvalidArgumentWithInvalidProperty() throws Exception {
    String snap = snapshot("d1");
    JsonNode b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "-512", "\"*\""), session),
            500,
            "InvalidArgument");
    assertEquals("startOffset", b.get("invalidProperty").asText());
    b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "1048576", "\"*\""), session),
            500,
            "InvalidArgument");
    assertEquals("startOffset", b.get("invalidProperty").asText());
    b =
        fault(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas",
                query("d1", snap, "0", "\"not-a-change-id\""),
                session),
            500,
            "InvalidArgument");
    assertEquals("changeId", b.get("invalidProperty").asText());
    b =
        fault(
            http.post("/cbt-sim/disks/d1/write", "{\"offset\":2097152,\"length\":512}", session),
            500,
            "InvalidArgument");
    assertEquals("offset", b.get("invalidProperty").asText());
    b =
        fault(
            http.post("/cbt-sim/disks/bad%20id/create", "{\"capacityBytes\":1048576}", session),
            500,
            "InvalidArgument");
    assertEquals("id", b.get("invalidProperty").asText());
  }

  @Test
  void query_unknownDiskOrSnapshot_isNotFound() throws Exception {
    fault(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas", query("nope", "snap-x", "0", "\"*\""), session),
        500,
        "NotFound");
    fault(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas", query("d1", "snap-0-99", "0", "\"*\""), session),
        500,
        "NotFound");
    fault(http.get("/cbt-sim/disks/nope", session), 500, "NotFound");
  }

  /**
   * An id no snapshot can have (a space, empty, too long) is an unknown snapshot, refused in the
   * contract's order: NotFound for an unknown disk (or a disk id no disk can have) first, then
   * InvalidState while tracking is disabled, then NotFound naming the id. It was InvalidArgument,
   * ahead of every other check.
   */
  @Test
  void query_snapshotIdNoSnapshotCanHave_faultsInTheContractsOrder() throws Exception {
    String longId = "s".repeat(200);
    for (String bad : new String[] {"a b", "", longId}) {
      // An unknown disk, a disk id no disk can have, then a disk that exists.
      JsonNode b = null;
      for (String disk : new String[] {"nodisk", "no disk", "d1"}) {
        b =
            fault(
                http.post(
                    VSLM + "VslmQueryChangedDiskAreas", query(disk, bad, "0", "\"*\""), session),
                500,
                "NotFound");
      }
      assertTrue(b.get("faultstring").asText().contains("snapshot=" + bad), "names the id: " + b);
      fault(
          http.post(
              VSLM + "VslmRetrieveSnapshotDetails",
              "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"},"
                  + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
                  + bad
                  + "\"}}",
              session),
          500,
          "NotFound");
    }
    ok(http.post("/cbt-sim/disks/d-off2/create", "{\"capacityBytes\":1048576}", session));
    ok(http.post("/cbt-sim/disks/d-off2/changeTracking", "{\"enabled\":false}", session));
    fault(
        http.post(
            VSLM + "VslmQueryChangedDiskAreas", query("d-off2", "a b", "0", "\"*\""), session),
        500,
        "InvalidState");
  }

  @Test
  void query_trackingDisabled_isInvalidState() throws Exception {
    ok(http.post("/cbt-sim/disks/d-off/create", "{\"capacityBytes\":1048576}", session));
    String snap = snapshot("d-off");
    ok(http.post("/cbt-sim/disks/d-off/changeTracking", "{\"enabled\":false}", session));
    fault(
        http.post(VSLM + "VslmQueryChangedDiskAreas", query("d-off", snap, "0", "\"*\""), session),
        500,
        "InvalidState");
  }

  @Test
  void query_changeIdOfAnotherGeneration_isFileFaultWithKeyAndFile() throws Exception {
    String snap = snapshot("d1");
    String foreign = "\"52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/1\"";
    JsonNode b =
        fault(
            http.post(VSLM + "VslmQueryChangedDiskAreas", query("d1", snap, "0", foreign), session),
            500,
            "FileFault");
    assertFalse(b.get("file").asText().isEmpty(), b.toString());
    JsonNode message = b.get("faultMessage").get(0);
    assertEquals("LocalizableMessage", message.get("_typeName").asText());
    assertEquals("cbt.cannotGetChanges", message.get("key").asText());
  }

  @Test
  void createSnapshot_unknownDisk_taskEndsInErrorAndResultThrowsIt() throws Exception {
    JsonNode task =
        ok(
            http.post(
                VSLM + "VslmCreateSnapshot_Task",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\"ghost\"},\"description\":\"x\"}",
                session));
    String path = "/sdk/vim25/" + RELEASE + "/vslm/VslmTask/" + task.get("value").asText();
    JsonNode info = ok(http.post(path + "/VslmQueryInfo", null, session));
    assertEquals("error", info.get("state").asText());
    assertEquals("NotFound", info.get("error").get("_typeName").asText());
    assertEquals(info, ok(http.get(path + "/info", session)));
    fault(http.post(path + "/VslmQueryTaskResult", null, session), 500, "NotFound");
  }

  @Test
  void unknownMethodOrObject_isMethodNotFoundOrManagedObjectNotFound() throws Exception {
    JsonNode b = fault(http.post(VSLM + "VslmFrobnicate", "{}", session), 500, "MethodNotFound");
    assertEquals("VslmFrobnicate", b.get("method").asText());
    assertEquals("VslmVStorageObjectManager", b.get("receiver").get("type").asText());
    fault(http.post(SESSION + "Frobnicate", "{}", session), 500, "MethodNotFound");
    fault(
        http.post("/sdk/vim25/" + RELEASE + "/Folder/group-d1/CreateFolder", "{}", session),
        500,
        "MethodNotFound");
    b =
        fault(
            http.post(
                "/sdk/vim25/"
                    + RELEASE
                    + "/vslm/VslmVStorageObjectManager/other/VslmRetrieveSnapshots",
                "{}",
                session),
            500,
            "ManagedObjectNotFound");
    assertEquals("other", b.get("obj").get("value").asText());
    fault(
        http.post(
            "/sdk/vim25/" + RELEASE + "/vslm/VslmTask/task-999999/VslmQueryInfo", null, session),
        500,
        "ManagedObjectNotFound");
  }

  @Test
  void release_not8x_isInvalidRequestWith404() throws Exception {
    JsonNode b =
        fault(
            http.post(
                "/sdk/vim25/7.0.3.0/SessionManager/SessionManager/Login",
                "{\"userName\":\"backup\",\"password\":\"x\"}",
                null),
            404,
            "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("release=7.0.3.0"), b.toString());
    fault(
        http.post("/sdk/vim25/8/SessionManager/SessionManager/Login", "{}", null),
        404,
        "InvalidRequest");
    ok(login("backup", PASSWORD));
    assertEquals(
        200,
        http.post(
                "/sdk/vim25/8.0.1.0/SessionManager/SessionManager/Login",
                "{\"userName\":\"backup\",\"password\":\"" + PASSWORD + "\"}",
                null)
            .status());
  }

  @Test
  void unknownPathOrVerb_is404Or405() throws Exception {
    fault(http.get("/", session), 404, "InvalidRequest");
    fault(http.get("/sdk", session), 404, "InvalidRequest");
    fault(
        http.post("/sdk/vim25/" + RELEASE + "/SessionManager/Login", "{}", session),
        404,
        "InvalidRequest");
    fault(http.get(VSLM + "VslmRetrieveSnapshots", session), 405, "InvalidRequest");
    java.net.http.HttpResponse<String> put =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.port() + VSLM + "VslmRetrieveSnapshots"))
                    .header(VsphereJsonServer.SESSION_HEADER, session)
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode(), put.body());
    assertEquals("POST", put.headers().firstValue("Allow").orElse(""));
    fault(http.post("/cbt-sim/disks/d1/format", "{}", session), 404, "InvalidRequest");
  }

  @Test
  void engineBug_isSystemErrorWithoutStackOrMessage() throws Exception {
    // An engine whose every call fails with an unexpected exception.
    io.cbtengine.api.ChangeTracker broken =
        (io.cbtengine.api.ChangeTracker)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.cbtengine.api.ChangeTracker.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  throw new IllegalStateException("internal detail");
                });
    try (VsphereJsonServer s =
        VsphereJsonServer.start(
            VsphereJsonServer.Config.builder()
                .userName("u")
                .password("p".toCharArray())
                .tracker(broken)
                .build())) {
      VimTransport h = new VimTransport.Jdk(URI.create("http://127.0.0.1:" + s.port() + "/"));
      String sid =
          h.post(SESSION + "Login", "{\"userName\":\"u\",\"password\":\"p\"}", null)
              .sessionHeader();
      VimTransport.Reply r = h.get("/cbt-sim/disks", sid);
      JsonNode b = fault(r, 500, "SystemError");
      assertTrue(b.get("reason").asText().contains("see its log"), b.toString());
      assertFalse(r.rawBody().contains("internal detail"), r.rawBody());
      assertEquals(
          200, h.post(SESSION + "Login", "{\"userName\":\"u\",\"password\":\"p\"}", null).status());
    }
  }

  @Test
  void body_overOneMebibyte_isInvalidRequestAndServerStaysUp() throws Exception {
    String big =
        "{\"id\":{\"_typeName\":\"ID\",\"id\":\"d1\"},\"description\":\""
            + "x".repeat(1 << 20)
            + "\"}";
    JsonNode b =
        fault(http.post(VSLM + "VslmCreateSnapshot_Task", big, session), 500, "InvalidRequest");
    assertTrue(b.get("faultstring").asText().contains("maxBodyBytes=1048576"), b.toString());
    ok(http.get("/cbt-sim/disks/d1", session));
  }
}
