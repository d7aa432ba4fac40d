package io.bridgetoazure.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceVersionTest {
  @Test
  void givenTwoBinlogFiles_whenCompared_thenTheNumericSuffixDecidesAlsoPastAnExtraDigit() {
    assertTrue(new SourceVersion("mariadb-bin.000010", 4, false, 0).compareTo(new SourceVersion("mariadb-bin.000009", 900, false, 0)) > 0);
    assertTrue(new SourceVersion("mariadb-bin.1000000", 4, false, 0).compareTo(new SourceVersion("mariadb-bin.999999", 900, false, 0)) > 0);
  }

  @Test
  void givenSamePosition_whenSnapshotAndStreamingCompared_thenTheSnapshotReadComesFirst() {
    assertTrue(new SourceVersion("b.000001", 50, true, 0).compareTo(new SourceVersion("b.000001", 50, false, 0)) < 0);
  }

  @Test
  void givenSameEvent_whenRowsCompared_thenTheRowIndexDecides() {
    assertTrue(new SourceVersion("b.000001", 50, false, 2).compareTo(new SourceVersion("b.000001", 50, false, 1)) > 0);
    assertEquals(0, new SourceVersion("b.000001", 50, false, 1).compareTo(new SourceVersion("b.000001", 50, false, 1)));
  }

  @Test
  void givenFileNameWithBars_whenEncodedAndDecoded_thenItIsTheSame() {
    var v = new SourceVersion("odd|name.000001", 50, true, 7);
    assertEquals(v, SourceVersion.decode(v.encode()));
  }
}
