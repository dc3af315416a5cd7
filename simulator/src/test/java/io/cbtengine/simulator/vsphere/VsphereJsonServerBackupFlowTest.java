package io.cbtengine.simulator.vsphere;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental-backup flow over real HTTP on loopback, with the JDK client and with curl. */
class VsphereJsonServerBackupFlowTest {
  private VsphereJsonServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server =
        VsphereJsonServer.start(
            VsphereJsonServer.Config.builder()
                .userName("backup")
                .password("s3cret-pw".toCharArray())
                .build());
    base = URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void backupFlow_jdkHttpClient_reportsExactlyTheWrittenBlocks() throws Exception {
    new BackupFlow(new VimTransport.Jdk(base), "disk-jdk").run("backup", "s3cret-pw");
  }

  @Test
  void backupFlow_curlProcess_reportsExactlyTheWrittenBlocks(@TempDir Path dir) throws Exception {
    assumeTrue(VimTransport.Curl.available(), "curl is not installed; skipping the curl flow");
    new BackupFlow(new VimTransport.Curl(base, dir), "disk-curl").run("backup", "s3cret-pw");
  }
}
