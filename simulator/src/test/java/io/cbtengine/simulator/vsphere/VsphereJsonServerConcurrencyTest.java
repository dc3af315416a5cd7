package io.cbtengine.simulator.vsphere;

import static io.cbtengine.simulator.vsphere.BackupFlow.SESSION;
import static io.cbtengine.simulator.vsphere.BackupFlow.VSLM;
import static io.cbtengine.simulator.vsphere.BackupFlow.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 concurrent writes and then 1,000 concurrent queries from 8 clients, each with its own HTTP
 * client, session, disk and 4 threads (32 requests in flight): every request answered, every answer
 * the one its request asked for. Client {@code c} writes every {@code (c + 2)}-th 4 KiB block, so
 * an answer meant for another client cannot pass for the right one.
 *
 * <p>Each client keeps at most 4 connections, as a backup proxy with a few streams would; the JDK's
 * HTTP server keeps at most 200 idle keep-alive connections (see docs/json-api.md).
 */
class VsphereJsonServerConcurrencyTest {
  private static final int CLIENTS = 8;
  private static final int PER_CLIENT = 125;
  private static final int THREADS_PER_CLIENT = 4;
  private static final int BLOCK = 4096;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void thousandRequests_eightClients_noneLostOrMixedUp() throws Exception {
    ExecutorService[] pools = new ExecutorService[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) {
      pools[c] = Executors.newFixedThreadPool(THREADS_PER_CLIENT);
    }
    try (VsphereJsonServer server =
        VsphereJsonServer.start(
            VsphereJsonServer.Config.builder().userName("u").password("p".toCharArray()).build())) {
      URI base = URI.create("http://127.0.0.1:" + server.port() + "/");

      // Each client: its own HTTP client, session, disk (one extent per reply) and base snapshot.
      VimTransport[] clients = new VimTransport[CLIENTS];
      String[] sessions = new String[CLIENTS];
      String[] baseChangeIds = new String[CLIENTS];
      for (int c = 0; c < CLIENTS; c++) {
        clients[c] =
            new VimTransport.Jdk(
                base,
                HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        sessions[c] =
            clients[c]
                .post(SESSION + "Login", "{\"userName\":\"u\",\"password\":\"p\"}", null)
                .sessionHeader();
        ok(
            clients[c].post(
                "/cbt-sim/disks/disk-" + c + "/create",
                "{\"capacityBytes\":8388608,\"blockSize\":4096,\"maxExtentsPerReply\":1}",
                sessions[c]));
        String first = BackupFlow.snapshot(clients[c], sessions[c], "disk-" + c, "");
        baseChangeIds[c] = details(clients[c], sessions[c], c, first);
      }

      // 1,000 writes at once.
      List<Future<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < PER_CLIENT; i++) {
        for (int c = 0; c < CLIENTS; c++) {
          final int client = c;
          final long offset = (long) i * (c + 2) * BLOCK;
          Callable<Integer> write =
              () ->
                  clients[client]
                      .post(
                          "/cbt-sim/disks/disk-" + client + "/write",
                          "{\"offset\":" + offset + ",\"length\":" + BLOCK + "}",
                          sessions[client])
                      .status();
          writes.add(pools[c].submit(write));
        }
      }
      for (Future<Integer> f : writes) {
        assertEquals(204, f.get());
      }

      // 1,000 queries at once; each must answer its own window of its own disk.
      String[] snaps = new String[CLIENTS];
      for (int c = 0; c < CLIENTS; c++) {
        snaps[c] = BackupFlow.snapshot(clients[c], sessions[c], "disk-" + c, "");
      }
      List<Future<String>> queries = new ArrayList<>();
      for (int i = 0; i < PER_CLIENT; i++) {
        for (int c = 0; c < CLIENTS; c++) {
          final int client = c;
          final int index = i;
          queries.add(
              pools[c].submit(
                  () ->
                      checkQuery(
                          clients[client],
                          sessions[client],
                          client,
                          index,
                          snaps[client],
                          baseChangeIds[client])));
        }
      }
      int answered = 0;
      for (Future<String> f : queries) {
        assertEquals("ok", f.get());
        answered++;
      }
      assertEquals(CLIENTS * PER_CLIENT, answered);
    } finally {
      for (ExecutorService pool : pools) {
        pool.shutdownNow();
      }
    }
  }

  private static String checkQuery(
      VimTransport http, String session, int c, int i, String snap, String changeId)
      throws Exception {
    long start = (long) i * (c + 2) * BLOCK;
    JsonNode r =
        ok(
            http.post(
                VSLM + "VslmQueryChangedDiskAreas",
                "{\"id\":{\"_typeName\":\"ID\",\"id\":\"disk-"
                    + c
                    + "\"},"
                    + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
                    + snap
                    + "\"},"
                    + "\"startOffset\":"
                    + start
                    + ",\"changeId\":\""
                    + changeId
                    + "\"}",
                session));
    assertEquals(start, r.get("startOffset").asLong(), r.toString());
    JsonNode area = r.get("changedArea");
    assertEquals(1, area.size(), r.toString());
    assertEquals(start, area.get(0).get("start").asLong(), r.toString());
    assertEquals(BLOCK, area.get(0).get("length").asLong(), r.toString());
    if (i < PER_CLIENT - 1) {
      assertEquals((long) (c + 2) * BLOCK, r.get("length").asLong(), r.toString());
    }
    return "ok";
  }

  private static String details(VimTransport http, String session, int c, String snap)
      throws Exception {
    return ok(http.post(
            VSLM + "VslmRetrieveSnapshotDetails",
            "{\"id\":{\"_typeName\":\"ID\",\"id\":\"disk-"
                + c
                + "\"},"
                + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
                + snap
                + "\"}}",
            session))
        .get("changedBlockTrackingId")
        .asText();
  }
}
