package io.cbtengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
  private static final String MAX_LENGTH_ID = "a".repeat(128);

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "0", "disk-1", "vm_7.vmdk", "ds:01", "a.b_c:d-e", "---", "..."})
  void diskId_allowedCharacters_accepted(String value) {
    assertEquals(value, new DiskId(value).value());
    assertEquals(value, DiskId.of(value).toString());
    assertEquals(value, SnapshotId.of(value).value());
  }

  @Test
  void diskId_128Characters_accepted() {
    assertEquals(MAX_LENGTH_ID, DiskId.of(MAX_LENGTH_ID).value());
    assertEquals(MAX_LENGTH_ID, SnapshotId.of(MAX_LENGTH_ID).value());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ", "a b", "disk/1", "disk\\1", "d*", "d\u00e9", "d\n", "d\u0000", "[a]", "a,b", "a@b",
        "a#b", "\u0131"
      })
  void diskId_invalidValue_throwsInvalidArgumentId(String value) {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> DiskId.of(value));

    assertEquals("id", e.invalidProperty());
    assertEquals("InvalidArgument", e.faultType());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "s 1", "s/1", "s%1"})
  void snapshotId_invalidValue_throwsInvalidArgumentSnapshotId(String value) {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> SnapshotId.of(value));

    assertEquals("snapshotId", e.invalidProperty());
  }

  @Test
  void diskId_129Characters_throwsInvalidArgumentId() {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> DiskId.of(MAX_LENGTH_ID + "a"));

    assertEquals("id", e.invalidProperty());
    assertThrows(InvalidArgumentException.class, () -> SnapshotId.of(MAX_LENGTH_ID + "a"));
  }

  @Test
  void diskId_sameValue_equal() {
    assertEquals(DiskId.of("d1"), new DiskId("d1"));
    assertEquals(DiskId.of("d1").hashCode(), new DiskId("d1").hashCode());
  }
}
