package io.cbtengine.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.simulator.ChildJava;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cbt-sim serve} as a user runs it: usage errors in-process; the real thing as a separate
 * JVM on this test's class path, told to listen on a free loopback port, asked to log in, and
 * stopped with SIGTERM.
 */
class ServeCommandTest {
  private static final String PASSWORD = "serve-command-pw";

  @Test
  void serve_help_listsTheOptions() {
    CliRunner r = CliRunner.run("serve", "--help");
    assertEquals(0, r.exitCode, r.toString());
    for (String option : List.of("--port", "--user", "--password-file", "--bind")) {
      assertTrue(r.out.contains(option), r.toString());
    }
  }

  @Test
  void serve_missingUser_exitTwo(@TempDir Path dir) throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
    CliRunner r = CliRunner.run("serve", "--port", "0", "--password-file", pw.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("--user"), r.toString());
  }

  @Test
  void serve_badPortRateUserOrFormat_oneLineThenWhereTheHelpIs(@TempDir Path dir) throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
    String[][] cases = {
      {"--port", "70000", "--user", "u"},
      {"--port", "0", "--user", "u", "--replay-rate", "-1"},
      {"--port", "0", "--user", " "},
      {"--port", "0", "--user", "u", "--format", "nope"},
    };
    String[] named = {
      "--port must be 0..65535: 70000", "--replay-rate", "--user is empty", "--format"
    };
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new ArrayList<>(List.of("serve", "--password-file", pw.toString()));
      args.addAll(List.of(cases[i]));
      CliRunner r = CliRunner.run(args.toArray(String[]::new));
      assertEquals(2, r.exitCode, r.toString());
      assertTrue(r.err.startsWith("cbt-sim serve: "), r.toString());
      assertTrue(r.err.contains(named[i]), r.toString());
      assertTrue(r.err.contains("Try 'cbt-sim serve --help'"), r.toString());
    }
  }

  @Test
  void serve_unreadablePasswordFile_exitTwo(@TempDir Path dir) {
    CliRunner r = serveOnAnyPort(dir.resolve("absent"));
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("password file"), r.toString());
  }

  /** {@code cbt-sim serve} on port 0 as user {@code u}, with the password file and more options. */
  private static CliRunner serveOnAnyPort(Path passwordFile, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve", "--port", "0", "--user", "u", "--password-file", passwordFile.toString()));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void serve_withReplayButBadPasswordFile_replaysNothing(@TempDir Path dir) throws Exception {
    Path trace =
        Files.writeString(
            dir.resolve("t.csv"), "128166385295514663,hm,0,Write,0,4096,100\n".repeat(50));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    CliRunner r = serveOnAnyPort(empty, "--replay", trace.toString(), "--replay-rate", "0");
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("first line is empty"), r.toString());
    assertTrue(!r.out.contains("replay"), "a server that did not start replayed: " + r);
  }

  @Test
  void serve_separateProcess_printsPortAndAcceptsLogin(@TempDir Path dir) throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    List<String> cmd =
        ChildJava.command(
            List.of("-Xmx256m"),
            CbtSim.class.getName(),
            "serve",
            "--port",
            "0",
            "--user",
            "backup",
            "--password-file",
            pw.toString());
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile()).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "serve printed nothing: " + Files.readString(dir.resolve("err.txt")));
      Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/sdk").matcher(line);
      assertTrue(m.matches(), line);

      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + m.group(1)
                              + "/sdk/vim25/8.0.3.0/SessionManager/SessionManager/Login"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"userName\":\"backup\",\"password\":\"" + PASSWORD + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, login.statusCode(), login.body());
      assertTrue(login.headers().firstValue("vmware-api-session-id").isPresent());
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertFalse(p.isAlive());
    assertFalse(Files.readString(dir.resolve("err.txt")).contains(PASSWORD));
  }
}
