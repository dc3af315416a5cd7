package io.cbtengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiskOptionsTest {
  @Test
  void defaults_contractValues() {
    DiskOptions d = DiskOptions.defaults();

    assertEquals(4 * 1024, d.blockSize());
    assertFalse(d.initiallyEmpty());
    assertEquals(Long.MAX_VALUE, d.maxWindowBytes());
    assertEquals(DiskOptions.DEFAULT_MAX_EXTENTS_PER_REPLY, d.maxExtentsPerReply());
    assertEquals(d, DiskOptions.builder().build());
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 1024, 4096, 65536, 1 << 20, 64 * 1024 * 1024})
  void blockSize_powerOfTwoInRange_accepted(int blockSize) {
    assertEquals(blockSize, DiskOptions.builder().blockSize(blockSize).build().blockSize());
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        0,
        -512,
        1,
        256,
        511,
        513,
        768,
        1000,
        4095,
        4097,
        3 * 4096,
        65535,
        128 * 1024 * 1024,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE
      })
  void blockSize_notPowerOfTwoOrOutOfRange_throwsInvalidArgumentBlockSize(int blockSize) {
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> DiskOptions.builder().blockSize(blockSize));

    assertEquals("blockSize", e.invalidProperty());
    assertEquals("InvalidArgument", e.faultType());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void maxExtentsPerReply_belowOne_throwsInvalidArgument(int value) {
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> DiskOptions.builder().maxExtentsPerReply(value));

    assertEquals("maxExtentsPerReply", e.invalidProperty());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -512, 1, 511, 513, 1000, 4097})
  void maxWindowBytes_notPositiveMultipleOf512_throwsInvalidArgument(long value) {
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> DiskOptions.builder().maxWindowBytes(value));

    assertEquals("maxWindowBytes", e.invalidProperty());
  }

  @Test
  void toBuilder_allKnobsSet_roundTrips() {
    DiskOptions o =
        DiskOptions.builder()
            .blockSize(4096)
            .initiallyEmpty(true)
            .maxExtentsPerReply(3)
            .maxWindowBytes(1 << 20)
            .build();

    assertEquals(o, o.toBuilder().build());
    assertEquals(4096, o.blockSize());
    assertEquals(3, o.maxExtentsPerReply());
    assertEquals(1 << 20, o.maxWindowBytes());
  }
}
