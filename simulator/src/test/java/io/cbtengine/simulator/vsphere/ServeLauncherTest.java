package io.cbtengine.simulator.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cbt-sim serve}'s start-up: password file, port 0, the listening line, bad input. */
class ServeLauncherTest {
  private static final String PASSWORD = "launcher-secret";

  @Test
  void start_portZero_printsListeningLineAndAcceptsThePassword(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    StringWriter out = new StringWriter();

    try (VsphereJsonServer server =
        ServeLauncher.start("127.0.0.1", 0, "backup", file, null, new PrintWriter(out, true))) {
      String printed = out.toString();
      Pattern line = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/sdk\\R");
      Matcher m = line.matcher(printed);
      assertTrue(m.matches(), printed);
      assertEquals(server.port(), Integer.parseInt(m.group(1)));
      assertTrue(server.port() > 0);
      assertTrue(server.address().getAddress().isLoopbackAddress());

      VimTransport http = new VimTransport.Jdk(URI.create("http://127.0.0.1:" + server.port()));
      VimTransport.Reply r =
          http.post(
              BackupFlow.SESSION + "Login",
              "{\"userName\":\"backup\",\"password\":\"" + PASSWORD + "\"}",
              null);
      assertEquals(200, r.status(), r.rawBody());
      assertFalse(printed.contains(PASSWORD));
    }
  }

  /**
   * A started server has asked the JDK for TCP_NODELAY: without it, every reply on a keep-alive
   * connection waited about 40 ms for the client's delayed ACK. (The JDK reads the property once;
   * the delay itself is timing and not asserted here.)
   */
  @Test
  void start_anyServer_nodelayPropertySet(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    try (VsphereJsonServer server =
        ServeLauncher.start(
            "127.0.0.1", 0, "backup", file, null, new PrintWriter(new StringWriter(), true))) {
      assertEquals("true", System.getProperty(VsphereJsonServer.NODELAY_PROPERTY));
    }
  }

  @Test
  void serve_missingPasswordFile_exitsWithUsageCode(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        ServeLauncher.serve(
            "127.0.0.1",
            0,
            "backup",
            dir.resolve("absent"),
            null,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            () -> {});
    assertEquals(ServeLauncher.EXIT_USAGE, code);
    assertTrue(err.toString().contains("password file"), err.toString());
    assertTrue(err.toString().contains("no such file"), err.toString());
    assertTrue(err.toString().contains("Try 'cbt-sim serve --help'"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void serve_portInUse_exitsWithUsageCodeNamingThePort(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), PASSWORD);
    // A loopback port this test holds itself.
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          ServeLauncher.serve(
              "127.0.0.1",
              taken.getLocalPort(),
              "backup",
              file,
              null,
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              () -> {});
      assertEquals(ServeLauncher.EXIT_USAGE, code);
      assertTrue(
          err.toString()
              .contains("cannot listen on --bind 127.0.0.1 --port " + taken.getLocalPort()),
          err.toString());
    }
  }

  @Test
  void readPassword_deviceOrOverlongLine_refusedWithoutReadingItAll(@TempDir Path dir)
      throws Exception {
    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      IllegalArgumentException device =
          assertThrows(IllegalArgumentException.class, () -> ServeLauncher.readPassword(zero));
      assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
      assertTrue(device.getMessage().startsWith("--password-file: "), device.getMessage());
    }
    IllegalArgumentException directory =
        assertThrows(IllegalArgumentException.class, () -> ServeLauncher.readPassword(dir));
    assertTrue(directory.getMessage().contains("not a regular file"), directory.getMessage());

    String longest = "p".repeat(ServeLauncher.MAX_PASSWORD_LINE);
    Path fits = Files.writeString(dir.resolve("fits"), longest + "\n" + "x".repeat(100_000));
    assertEquals(longest, new String(ServeLauncher.readPassword(fits)));
    Path tooLong = Files.writeString(dir.resolve("long"), longest + "p\nsecond line\n");
    IllegalArgumentException overlong =
        assertThrows(IllegalArgumentException.class, () -> ServeLauncher.readPassword(tooLong));
    assertTrue(overlong.getMessage().contains("longer than 4096 bytes"), overlong.getMessage());
  }

  @Test
  void readPassword_utf8ByteOrderMark_isNotPartOfThePassword(@TempDir Path dir) throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path crlf = dir.resolve("notepad");
    Files.write(crlf, concat(bom, "s3cret\r\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("s3cret", new String(ServeLauncher.readPassword(crlf)));
    String longest = "p".repeat(ServeLauncher.MAX_PASSWORD_LINE);
    Path fits = dir.resolve("fits");
    Files.write(fits, concat(bom, (longest + "\n").getBytes(StandardCharsets.UTF_8)));
    assertEquals(longest, new String(ServeLauncher.readPassword(fits)));
    Path onlyBom = dir.resolve("only-bom");
    Files.write(onlyBom, concat(bom, "\n".getBytes(StandardCharsets.UTF_8)));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> ServeLauncher.readPassword(onlyBom));
    assertTrue(empty.getMessage().contains("first line is empty"), empty.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void start_emptyPasswordOrHostName_isRefused(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    PrintWriter sink = new PrintWriter(new StringWriter(), true);
    assertThrows(
        IllegalArgumentException.class,
        () -> ServeLauncher.start("127.0.0.1", 0, "u", empty, null, sink));
    Path blanks = Files.writeString(dir.resolve("blanks"), "   \t\nsecret\n");
    IllegalArgumentException blank =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServeLauncher.start("127.0.0.1", 0, "u", blanks, null, sink));
    assertTrue(blank.getMessage().contains("only blanks"), blank.getMessage());
    Path file = Files.writeString(dir.resolve("pw"), PASSWORD);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServeLauncher.start("localhost", 0, "u", file, null, sink));
    assertTrue(e.getMessage().contains("IP address"), e.getMessage());
    // Shorthand IPv4 that the resolver would read as another address, and out-of-range parts.
    // Also names with a colon, which the resolver would look up rather than parse.
    for (String shorthand :
        new String[] {
          "127.1", "10", "127.0.0.01", "256.0.0.1", "1.2.3.4.", "zz:zz", "host:name", ".:", ".1:2"
        }) {
      IllegalArgumentException s =
          assertThrows(
              IllegalArgumentException.class,
              () -> ServeLauncher.start(shorthand, 0, "u", file, null, sink),
              shorthand);
      assertTrue(s.getMessage().contains("bind=" + shorthand), s.getMessage());
      // Refused by its shape, before any lookup (a failed lookup has other words).
      assertTrue(s.getMessage().contains("four dotted numbers"), s.getMessage());
    }
  }

  @Test
  void config_toString_hidesThePassword() {
    String text =
        VsphereJsonServer.Config.builder()
            .userName("u")
            .password(PASSWORD.toCharArray())
            .build()
            .toString();
    assertFalse(text.contains(PASSWORD), text);
    assertTrue(text.contains("127.0.0.1"), text);
  }
}
