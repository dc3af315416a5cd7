package io.cbtengine.simulator.vsphere;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The logged-in sessions of one server, keyed by the token sent in {@code vmware-api-session-id}.
 * Thread-safe (every method synchronizes on the table; each call is a map operation).
 *
 * <p>Holds the configured user name and a SHA-256 digest of the password, never the password
 * itself; comparisons run in time independent of where the inputs differ. At most {@code
 * maxSessions} sessions live at once: a login beyond that ends the oldest session, as a host that
 * reaps idle sessions would. Sessions do not time out otherwise.
 */
final class SessionTable {
  /** One session: the secret token, the public key vSphere shows in {@code UserSession.key}. */
  record Session(String token, String key, String userName, Instant loginTime) {
    @Override
    public String toString() {
      return "Session[key=" + key + ", userName=" + userName + "]";
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] userDigest;
  private final byte[] passwordDigest;
  private final int maxSessions;
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  SessionTable(String userName, char[] password, int maxSessions) {
    this.userDigest = sha256(userName.getBytes(StandardCharsets.UTF_8));
    this.passwordDigest = sha256(password);
    this.maxSessions = maxSessions;
  }

  /**
   * Opens a session if both user name and password match the configuration.
   *
   * @throws VimFault {@code InvalidLogin} otherwise
   */
  Session login(String userName, String password) {
    // Both comparisons always run, so the time taken does not tell which one failed.
    byte[] user = sha256(userName.getBytes(StandardCharsets.UTF_8));
    boolean userOk = MessageDigest.isEqual(userDigest, user);
    boolean passwordOk = MessageDigest.isEqual(passwordDigest, sha256(password.toCharArray()));
    if (!(userOk & passwordOk)) {
      throw VimFault.invalidLogin();
    }

    byte[] secret = new byte[20];
    RANDOM.nextBytes(secret);
    Session s =
        new Session(
            HexFormat.of().formatHex(secret),
            UUID.randomUUID().toString(),
            userName,
            Instant.now());
    synchronized (this) {
      if (sessions.size() >= maxSessions) {
        var oldest = sessions.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      sessions.put(s.token(), s);
    }
    return s;
  }

  /**
   * The live session named by {@code token}.
   *
   * @throws VimFault {@code NotAuthenticated} (on {@code moType:moId}) if there is none
   */
  synchronized Session require(String token, String moType, String moId) {
    Session s = token == null ? null : sessions.get(token);
    if (s == null) {
      throw VimFault.notAuthenticated(moType, moId);
    }
    return s;
  }

  /** Ends the session; a token naming no session is ignored. */
  synchronized void logout(String token) {
    sessions.remove(token);
  }

  synchronized int size() {
    return sessions.size();
  }

  private static byte[] sha256(char[] chars) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    try {
      return sha256(copy);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
