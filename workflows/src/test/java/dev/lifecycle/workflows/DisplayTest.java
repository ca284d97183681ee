package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DisplayTest {

  @Test
  void roundsDoublesToFourDecimals() {
    assertEquals("2.3142", Display.number(2.3141592653589793));
    assertEquals("2.5", Display.number(2.5));
    assertEquals("2", Display.number(2.0));
    assertEquals("-13.0001", Display.number(-13.00009));
    assertEquals("4177", Display.number(4177.0));
  }

  @Test
  void keepsFourSignificantDigitsBelowOne() {
    assertEquals("0.0001235", Display.number(0.00012345678));
    assertEquals("0.55", Display.number(0.55));
    assertEquals("0", Display.number(0.0));
  }

  @Test
  void showsOtherValuesAsTheyAre() {
    assertEquals("60", Display.value(60));
    assertEquals("abalone", Display.value("abalone"));
    assertEquals("true", Display.value(true));
    assertEquals("NaN", Display.value(Double.NaN));
    assertEquals("1.0E20", Display.value(1e20));
  }
}
