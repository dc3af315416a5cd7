package io.cbtengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeIdTest {
  private static final String EXAMPLE = "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17";

  @Test
  void parse_contractExample_formatsBackUnchanged() {
    ChangeId id = ChangeId.parse(EXAMPLE);

    assertEquals(EXAMPLE, id.toString());
    assertEquals(0x522d7b8fac6151ccL, id.generationHigh());
    assertEquals(0x774c7bec9150bb7bL, id.generationLow());
    assertEquals(17, id.sequence());
    assertEquals("52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b", id.generationText());
  }

  @Test
  void format_randomValues_parseBackEqual() {
    Random random = new Random(20261204L);
    for (int i = 0; i < 10_000; i++) {
      long high = random.nextLong();
      long low = random.nextLong();
      long seq = i % 3 == 0 ? random.nextInt(100) : random.nextLong() & 0x0fffffffffffffffL;
      seq = Math.min(seq, 999_999_999_999_999_999L);
      ChangeId id = ChangeId.of(high, low, seq);

      String text = id.toString();
      ChangeId back = ChangeId.parse(text);

      assertEquals(id, back, text);
      assertEquals(id.hashCode(), back.hashCode(), text);
      assertEquals(text, back.toString());
      assertEquals(ChangeId.GENERATION_TEXT_LENGTH, text.indexOf('/'), text);
    }
  }

  @Test
  void format_zeroAndAllOnes_useLowerCaseHexPairs() {
    assertEquals(
        "00 00 00 00 00 00 00 00-00 00 00 00 00 00 00 00/0", ChangeId.of(0, 0, 0).toString());
    assertEquals(
        "ff ff ff ff ff ff ff ff-ff ff ff ff ff ff ff ff/1", ChangeId.of(-1L, -1L, 1).toString());
  }

  @Test
  void parse_upperCaseHex_equalsLowerCase() {
    assertEquals(ChangeId.parse(EXAMPLE), ChangeId.parse(EXAMPLE.toUpperCase()));
    assertEquals(EXAMPLE, ChangeId.parse(EXAMPLE.toUpperCase()).toString());
  }

  @Test
  void parse_eighteenDigitSequence_accepted() {
    String text = EXAMPLE.substring(0, 48) + "999999999999999999";

    assertEquals(999_999_999_999_999_999L, ChangeId.parse(text).sequence());
  }

  @Test
  void sameGeneration_differentSequence_true() {
    ChangeId a = ChangeId.of(1, 2, 3);

    assertTrue(a.sameGeneration(ChangeId.of(1, 2, 99)));
    assertTrue(!a.sameGeneration(ChangeId.of(1, 3, 3)));
    assertNotEquals(a, ChangeId.of(1, 2, 4));
  }

  @Test
  void compareTo_sameGeneration_ordersBySequence() {
    assertTrue(ChangeId.of(5, 5, 1).compareTo(ChangeId.of(5, 5, 2)) < 0);
    assertEquals(0, ChangeId.of(5, 5, 2).compareTo(ChangeId.of(5, 5, 2)));
  }

  @Test
  void of_negativeSequence_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> ChangeId.of(1, 2, -1));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "*",
        "/17",
        "garbage",
        // no sequence, or a sequence that is not 1..18 decimal digits
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/-1",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/+1",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/1a",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17 ",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/1/2",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/1000000000000000000",
        // separators: dash missing, dash at the wrong place, no spaces, extra space
        "52 2d 7b 8f ac 61 51 cc 77 4c 7b ec 91 50 bb 7b/17",
        "52 2d 7b 8f ac 61 51-cc 77 4c 7b ec 91 50 bb 7b/17",
        "522d7b8fac6151cc-774c7bec9150bb7b/17",
        " 52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17",
        "52  2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17",
        // not hex, too few or too many pairs
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7g/17",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb/17",
        "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b 00/17",
        "-2 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17",
      })
  void parse_malformed_throwsInvalidArgumentChangeId(String text) {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> ChangeId.parse(text));

    assertEquals("changeId", e.invalidProperty());
    assertEquals("InvalidArgument", e.faultType());
  }

  @Test
  void parse_nullOrShort_messageSaysWhatIsWrong() {
    String nullMessage =
        assertThrows(InvalidArgumentException.class, () -> ChangeId.parse(null)).getMessage();
    assertTrue(nullMessage.endsWith("changeId=null"), nullMessage);

    String shortMessage =
        assertThrows(InvalidArgumentException.class, () -> ChangeId.parse("xx")).getMessage();
    assertTrue(shortMessage.contains("no '/' (length 2)"), shortMessage);
    assertTrue(shortMessage.contains("changeId=\"xx\""), shortMessage);

    String early =
        assertThrows(InvalidArgumentException.class, () -> ChangeId.parse("ab/3")).getMessage();
    assertTrue(early.contains("'/' at index 2 (length 4)"), early);
  }
}
