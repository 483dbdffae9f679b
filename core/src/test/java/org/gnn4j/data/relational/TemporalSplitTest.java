package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TemporalSplitTest {
  @Test
  void lastTenPercentByTimeAreTestAndTheTenBeforeValidation() {
    long[] times = new long[100];
    for (int i = 0; i < 100; i++) times[i] = 1000 - i * 10L; // row 0 is the latest
    TemporalSplit s = TemporalSplit.of(times, 0.1, 0.1);
    assertEquals(80, s.train().length);
    assertEquals(10, s.val().length);
    assertEquals(10, s.test().length);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, s.test());
    assertEquals(910, s.testStart());
    assertEquals(810, s.valStart());
    for (int r : s.train()) assertTrue(times[r] < s.valStart());
    for (int r : s.val()) assertTrue(times[r] >= s.valStart() && times[r] < s.testStart());
  }

  @Test
  void rowsSharingTheBoundaryTimeStayTogether() {
    long[] times = new long[20];
    for (int i = 0; i < 16; i++) times[i] = i + 1;
    times[16] = 17;
    times[17] = times[18] = times[19] = 18;
    TemporalSplit s = TemporalSplit.of(times, 0.1, 0.1);
    // the 10% cut (2 rows) falls inside the three rows at time 18: all three are test
    assertArrayEquals(new int[] {17, 18, 19}, s.test());
    assertArrayEquals(new int[] {16}, s.val());
    assertEquals(16, s.train().length);
  }

  @Test
  void refusesFractionsThatLeaveNoTraining() {
    assertThrows(IllegalArgumentException.class, () -> TemporalSplit.of(new long[] {1, 2}, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> TemporalSplit.of(new long[] {5, 5, 5}, 0.1, 0.4));
  }
}
