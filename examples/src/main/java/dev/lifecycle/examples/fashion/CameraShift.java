package dev.lifecycle.examples.fashion;

/**
 * A seeded "new camera" for greyscale images: the same objects, seen through different optics and a
 * different sensor. Each image is, in order,
 *
 * <ol>
 *   <li>rotated about its centre by an angle drawn uniformly from ±{@code maxRotationDegrees} (a
 *       camera held slightly askew), sampled bilinearly, black outside the original frame;
 *   <li>blurred by a Gaussian of standard deviation {@code blurSigma} pixels (softer optics);
 *   <li>mapped through the sensor's response: the original's black becomes {@code backgroundLevel}
 *       and its white {@code objectLevel}, linearly in between; with the default levels (0.9 and
 *       0.1) bright objects on a black background become dark objects on a light grey one, with
 *       less contrast (a sensor with the opposite response, like a negative, that never quite
 *       saturates);
 *   <li>given Gaussian sensor noise of standard deviation {@code noiseSigma} (intensities in 0..1),
 *       clamped to 0..1 and rounded to 8 bits.
 * </ol>
 *
 * <p>Transfer under this shift is honest: the classes are unchanged, only the input distribution
 * moves, so a model trained on the original images keeps useful shape features but must re-learn
 * its response to intensity. Every random draw comes from a SplitMix64 generator seeded per image
 * ({@link #imageSeed}) and all arithmetic uses {@link StrictMath}, so an image's shifted pixels
 * depend only on its pixels and its seed, on every JVM.
 *
 * <pre>{@code
 * CameraShift camera = CameraShift.DEFAULT;
 * byte[] shifted = camera.apply(pixels, 28, 28, CameraShift.imageSeed(42, 1, index));
 * }</pre>
 */
public final class CameraShift {
  /**
   * ±10° rotation, blur σ = 1 pixel, inverted to levels 0.9 (background) and 0.1, noise σ = 0.05.
   */
  public static final CameraShift DEFAULT = new CameraShift(10.0, 1.0, 0.05, 0.9, 0.1);

  private final double maxRotationDegrees;
  private final double blurSigma;
  private final double noiseSigma;
  private final double backgroundLevel;
  private final double objectLevel;
  private final double[] kernel;

  /**
   * A camera with these settings.
   *
   * @param maxRotationDegrees largest rotation either way, in degrees, 0 to 180
   * @param blurSigma standard deviation of the blur in pixels; 0 for none
   * @param noiseSigma standard deviation of the noise on 0..1 intensities; 0 for none
   * @param backgroundLevel the intensity, 0..1, that the original's black (0) becomes
   * @param objectLevel the intensity, 0..1, that the original's white (255) becomes
   */
  public CameraShift(
      double maxRotationDegrees,
      double blurSigma,
      double noiseSigma,
      double backgroundLevel,
      double objectLevel) {
    if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180)) {
      throw new IllegalArgumentException(
          "maxRotationDegrees must be in [0, 180], got " + maxRotationDegrees);
    }
    if (!(blurSigma >= 0 && blurSigma <= 10)) {
      throw new IllegalArgumentException("blurSigma must be in [0, 10], got " + blurSigma);
    }
    if (!(noiseSigma >= 0 && noiseSigma <= 1)) {
      throw new IllegalArgumentException("noiseSigma must be in [0, 1], got " + noiseSigma);
    }
    if (!(backgroundLevel >= 0 && backgroundLevel <= 1 && objectLevel >= 0 && objectLevel <= 1)) {
      throw new IllegalArgumentException(
          "backgroundLevel and objectLevel must be in [0, 1], got "
              + backgroundLevel
              + " and "
              + objectLevel);
    }
    this.backgroundLevel = backgroundLevel;
    this.objectLevel = objectLevel;
    this.maxRotationDegrees = maxRotationDegrees;
    this.blurSigma = blurSigma;
    this.noiseSigma = noiseSigma;
    this.kernel = gaussianKernel(blurSigma);
  }

  /**
   * The seed of one image: distinct for each (dataset seed, stream, index), so that an image's
   * shift does not depend on which other images are shifted with it.
   *
   * @param stream which set the image belongs to, e.g. 0 for training and 1 for test images
   */
  public static long imageSeed(long seed, int stream, int index) {
    long s = SplitMix64.mix(seed ^ 0x5DEECE66DL);
    s = SplitMix64.mix(s + stream);
    return SplitMix64.mix(s + index);
  }

  /** The shifted copy of a {@code height × width} greyscale image (row-major unsigned bytes). */
  public byte[] apply(byte[] image, int height, int width, long imageSeed) {
    if (height <= 0 || width <= 0 || image.length != height * width) {
      throw new IllegalArgumentException(
          "An image of "
              + height
              + "×"
              + width
              + " has "
              + height * width
              + " bytes, got "
              + image.length);
    }
    SplitMix64 random = new SplitMix64(imageSeed);
    double[] v = new double[image.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (image[i] & 0xff) / 255.0;
    }
    double angle = StrictMath.toRadians((2 * random.nextDouble() - 1) * maxRotationDegrees);
    v = rotate(v, height, width, angle);
    v = blur(v, height, width);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      double x = backgroundLevel + (objectLevel - backgroundLevel) * v[i];
      if (noiseSigma > 0) {
        x += noiseSigma * random.nextGaussian();
      }
      x = Math.min(1, Math.max(0, x));
      out[i] = (byte) StrictMath.rint(x * 255);
    }
    return out;
  }

  /** Rotation about the image centre by inverse mapping; zero outside the source. */
  private static double[] rotate(double[] v, int height, int width, double angle) {
    double cos = StrictMath.cos(angle);
    double sin = StrictMath.sin(angle);
    double cy = (height - 1) / 2.0;
    double cx = (width - 1) / 2.0;
    double[] out = new double[v.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        out[y * width + x] = bilinear(v, height, width, sy, sx);
      }
    }
    return out;
  }

  private static double bilinear(double[] v, int height, int width, double y, double x) {
    int x0 = (int) StrictMath.floor(x);
    int y0 = (int) StrictMath.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    return (1 - fy)
            * ((1 - fx) * at(v, height, width, y0, x0) + fx * at(v, height, width, y0, x0 + 1))
        + fy
            * ((1 - fx) * at(v, height, width, y0 + 1, x0)
                + fx * at(v, height, width, y0 + 1, x0 + 1));
  }

  private static double at(double[] v, int height, int width, int y, int x) {
    return y < 0 || y >= height || x < 0 || x >= width ? 0 : v[y * width + x];
  }

  /** Separable Gaussian blur; outside the image counts as background (zero before inversion). */
  private double[] blur(double[] v, int height, int width) {
    if (kernel.length == 1) {
      return v;
    }
    int r = kernel.length / 2;
    double[] rows = new double[v.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double sum = 0;
        for (int k = -r; k <= r; k++) {
          sum += kernel[k + r] * at(v, height, width, y, x + k);
        }
        rows[y * width + x] = sum;
      }
    }
    double[] out = new double[v.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double sum = 0;
        for (int k = -r; k <= r; k++) {
          sum += kernel[k + r] * at(rows, height, width, y + k, x);
        }
        out[y * width + x] = sum;
      }
    }
    return out;
  }

  /** Normalised weights over ±3σ (one weight of 1 when σ is 0). */
  private static double[] gaussianKernel(double sigma) {
    if (sigma == 0) {
      return new double[] {1};
    }
    int r = (int) StrictMath.ceil(3 * sigma);
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = StrictMath.exp(-(i * i) / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  @Override
  public String toString() {
    return "CameraShift[rotation ±"
        + maxRotationDegrees
        + "°, blur σ "
        + blurSigma
        + " px, levels "
        + backgroundLevel
        + " → "
        + objectLevel
        + ", noise σ "
        + noiseSigma
        + "]";
  }

  /**
   * SplitMix64 (Steele, Lea and Flood 2014), written out so that the sequence cannot change with
   * the JDK; Gaussians by the Box-Muller transform.
   */
  private static final class SplitMix64 {
    private long state;
    private double spare;
    private boolean hasSpare;

    SplitMix64(long seed) {
      this.state = seed;
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    long nextLong() {
      state += 0x9E3779B97F4A7C15L;
      return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double nextGaussian() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u = 1 - nextDouble(); // in (0, 1], so the logarithm is finite
      double w = nextDouble();
      double radius = StrictMath.sqrt(-2 * StrictMath.log(u));
      double theta = 2 * StrictMath.PI * w;
      spare = radius * StrictMath.sin(theta);
      hasSpare = true;
      return radius * StrictMath.cos(theta);
    }
  }
}
