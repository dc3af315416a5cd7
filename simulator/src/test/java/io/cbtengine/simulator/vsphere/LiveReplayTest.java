package io.cbtengine.simulator.vsphere;

import static io.cbtengine.simulator.vsphere.BackupFlow.SESSION;
import static io.cbtengine.simulator.vsphere.BackupFlow.VSLM;
import static io.cbtengine.simulator.vsphere.BackupFlow.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.simulator.workload.TraceWorkload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trace replayed into the served disks; an incremental backup sees exactly its writes. */
class LiveReplayTest {
  @Test
  void replay_msrTrace_clientIncrementalReportsTheTracesWrites(@TempDir Path dir) throws Exception {
    // Two devices; hm_0 gets three writes (one a read, skipped), hm_1 one.
    Path trace =
        Files.writeString(
            dir.resolve("tiny.csv"),
            String.join(
                "\n",
                "128166385295514663,hm,0,Write,1048576,4096,10",
                "128166385295514700,hm,0,Read,0,4096,10",
                "128166385295514800,hm,0,Write,5242880,131072,10",
                "128166385295514900,hm,1,Write,0,512,10",
                "128166385295515000,hm,0,Write,9437184,512,10",
                ""));
    StringWriter printed = new StringWriter();

    try (VsphereJsonServer server =
        VsphereJsonServer.start(
            VsphereJsonServer.Config.builder().userName("u").password("p".toCharArray()).build())) {
      LiveReplay live =
          LiveReplay.prepare(
              server.tracker(),
              TraceWorkload.open(List.of(trace), null, false, 0, 0),
              DiskOptions.defaults(),
              0,
              new PrintWriter(printed, true));

      // The client finds the disks the trace brought and takes its base snapshot.
      VimTransport http = new VimTransport.Jdk(URI.create("http://127.0.0.1:" + server.port()));
      String session =
          http.post(SESSION + "Login", "{\"userName\":\"u\",\"password\":\"p\"}", null)
              .sessionHeader();
      List<String> disks = new ArrayList<>();
      for (JsonNode d : ok(http.get("/cbt-sim/disks", session)).get("disks")) {
        disks.add(d.get("id").get("id").asText());
      }
      assertEquals(2, disks.size(), disks.toString());
      String disk = disks.stream().filter(d -> d.endsWith("hm_0")).findFirst().orElseThrow();
      String base = BackupFlow.snapshot(http, session, disk, null);
      String baseChangeId =
          ok(http.post(VSLM + "VslmRetrieveSnapshotDetails", ids(disk, base), session))
              .get("changedBlockTrackingId")
              .asText();

      live.start();
      live.await(60, TimeUnit.SECONDS);
      assertTrue(live.finished());
      assertEquals(4, live.writes());
      assertTrue(
          printed.toString().startsWith("replay finished: 4 writes, 0 refused"),
          printed.toString());

      String next = BackupFlow.snapshot(http, session, disk, null);
      JsonNode r =
          ok(
              http.post(
                  VSLM + "VslmQueryChangedDiskAreas",
                  "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
                      + disk
                      + "\"},"
                      + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
                      + next
                      + "\"},"
                      + "\"startOffset\":0,\"changeId\":\""
                      + baseChangeId
                      + "\"}",
                  session));
      List<String> extents = new ArrayList<>();
      for (JsonNode e : r.get("changedArea")) {
        extents.add(e.get("start").asLong() + "+" + e.get("length").asLong());
      }
      // Each write rounded out to whole blocks: 4 KiB, 128 KiB (whole blocks of any size up to
      // 128 KiB), and 512 B at a block boundary.
      long block = DiskOptions.DEFAULT_BLOCK_SIZE;
      long mid = Math.max(131072, block);
      assertEquals(
          List.of("1048576+" + Math.max(4096, block), "5242880+" + mid, "9437184+" + block),
          extents);
    }
  }

  private static String ids(String disk, String snapshot) {
    return "{\"id\":{\"_typeName\":\"ID\",\"id\":\""
        + disk
        + "\"},"
        + "\"snapshotId\":{\"_typeName\":\"ID\",\"id\":\""
        + snapshot
        + "\"}}";
  }
}
