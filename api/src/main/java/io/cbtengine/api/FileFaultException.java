package io.cbtengine.api;

import java.util.Objects;

/**
 * vSphere's {@code FileFault}: a well-formed changeId that cannot be answered (another tracking
 * generation, a sequence never issued, one later than the snapshot), or tracking files that are
 * unreadable or corrupt.
 */
public final class FileFaultException extends CbtFault {
  private static final long serialVersionUID = 1L;

  /** The message key for a changeId that cannot be answered. */
  public static final String CANNOT_GET_CHANGES = "cbt.cannotGetChanges";

  /** The message key for unreadable or corrupt tracking files. */
  public static final String CORRUPT = "cbt.corrupt";

  private final String faultMessageKey;
  private final String file;

  public FileFaultException(String faultMessageKey, String file, String message) {
    super(message);
    this.faultMessageKey = Objects.requireNonNull(faultMessageKey, "faultMessageKey");
    this.file = file == null ? "" : file;
  }

  public FileFaultException(String faultMessageKey, String file, String message, Throwable cause) {
    super(message, cause);
    this.faultMessageKey = Objects.requireNonNull(faultMessageKey, "faultMessageKey");
    this.file = file == null ? "" : file;
  }

  /** Either {@link #CANNOT_GET_CHANGES} or {@link #CORRUPT}. */
  public String faultMessageKey() {
    return faultMessageKey;
  }

  /** The file the fault concerns (vSphere's {@code FileFault.file}); the disk id when no file. */
  public String file() {
    return file;
  }

  @Override
  public String faultType() {
    return "FileFault";
  }
}
