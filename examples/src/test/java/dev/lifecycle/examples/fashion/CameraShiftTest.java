package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CameraShiftTest {

  @Test
  void mapsBlackAndWhiteToTheGivenLevels() {
    byte[] image = {0, (byte) 255};
    assertArrayEquals(
        new byte[] {(byte) 204, 51}, new CameraShift(0, 0, 0, 0.8, 0.2).apply(image, 1, 2, 5));
  }

  @Test
  void withoutRotationBlurOrNoiseItOnlyInverts() {
    byte[] image = {0, 1, (byte) 128, (byte) 255, 17, 99};
    byte[] shifted = new CameraShift(0, 0, 0, 1, 0).apply(image, 2, 3, 5);
    assertArrayEquals(new byte[] {(byte) 255, (byte) 254, 127, 0, (byte) 238, (byte) 156}, shifted);
  }

  @Test
  void blurSpreadsAPointAndKeepsItsMass() {
    byte[] dot = new byte[9 * 9];
    dot[4 * 9 + 4] = (byte) 255;
    byte[] shifted = new CameraShift(0, 1.0, 0, 1, 0).apply(dot, 9, 9, 1);
    // Inverted: the centre is darkest, its neighbours darker than the white border.
    int centre = shifted[4 * 9 + 4] & 0xff;
    int neighbour = shifted[4 * 9 + 5] & 0xff;
    int corner = shifted[0] & 0xff;
    assertTrue(centre < neighbour && neighbour < corner, centre + " " + neighbour + " " + corner);
    assertEquals(255, corner);
    long darkness = 0;
    for (byte b : shifted) {
      darkness += 255 - (b & 0xff);
    }
    assertTrue(Math.abs(darkness - 255) <= 15, "mass " + darkness);
  }

  @Test
  void rotationTurnsAHorizontalBarAwayFromHorizontal() {
    byte[] bar = new byte[15 * 15];
    for (int x = 1; x < 14; x++) {
      bar[7 * 15 + x] = (byte) 255;
    }
    // With a seed whose angle is far from 0, the bar's ends leave row 7.
    CameraShift rotateOnly = new CameraShift(10, 0, 0, 0, 1);
    int moved = 0;
    for (long seed = 0; seed < 20; seed++) {
      byte[] shifted = rotateOnly.apply(bar, 15, 15, seed);
      if ((shifted[7 * 15 + 1] & 0xff) > 64 || (shifted[7 * 15 + 13] & 0xff) > 64) {
        moved++;
      }
    }
    assertTrue(moved >= 5, moved + " of 20 seeds tilted the bar visibly");
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherNoise() {
    byte[] image = new byte[28 * 28];
    Arrays.fill(image, (byte) 100);
    byte[] a = CameraShift.DEFAULT.apply(image, 28, 28, 42);
    assertArrayEquals(a, CameraShift.DEFAULT.apply(image, 28, 28, 42));
    assertFalse(Arrays.equals(a, CameraShift.DEFAULT.apply(image, 28, 28, 43)));
  }

  @Test
  void noiseHasTheConfiguredSpread() {
    byte[] grey = new byte[64 * 64];
    Arrays.fill(grey, (byte) 128);
    byte[] noisy = new CameraShift(0, 0, 0.05, 1, 0).apply(grey, 64, 64, 9);
    double sum = 0;
    double squares = 0;
    // Away from the border, which the zero padding of the rotation does not touch here.
    for (byte b : noisy) {
      double v = (b & 0xff) / 255.0;
      sum += v;
      squares += v * v;
    }
    double mean = sum / noisy.length;
    double sd = Math.sqrt(squares / noisy.length - mean * mean);
    assertEquals(1 - 128 / 255.0, mean, 0.005);
    assertEquals(0.05, sd, 0.005);
  }

  @Test
  void imageSeedsDifferByStreamAndIndex() {
    Set<Long> seeds = new HashSet<>();
    for (int stream = 0; stream < 2; stream++) {
      for (int i = 0; i < 1000; i++) {
        seeds.add(CameraShift.imageSeed(42, stream, i));
      }
    }
    assertEquals(2000, seeds.size());
    assertNotEquals(CameraShift.imageSeed(42, 0, 0), CameraShift.imageSeed(43, 0, 0));
  }

  @Test
  void rejectsBadSettingsAndSizes() {
    assertThrows(IllegalArgumentException.class, () -> new CameraShift(-1, 1, 0.05, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CameraShift(10, Double.NaN, 0.05, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CameraShift(10, 1, 2, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new CameraShift(10, 1, 0.05, 1.5, 0));
    assertThrows(
        IllegalArgumentException.class, () -> CameraShift.DEFAULT.apply(new byte[10], 3, 3, 1));
  }
}
