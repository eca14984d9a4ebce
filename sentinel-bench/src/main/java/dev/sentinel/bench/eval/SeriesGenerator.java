package dev.sentinel.bench.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates labelled series that look like operational metrics: a level, autocorrelated noise
 * (sometimes heavy-tailed), a slow wander, and, for most series, a daily cycle (a smooth wave, a
 * business-hours plateau, or a sharp nightly batch peak) that may be damped at weekends. Sampling
 * is every minute or every five, over one to two weeks, starting on a Monday at midnight UTC.
 *
 * <p>Anomalies are injected after four days, once every detector has had time to warm up, and are
 * sized in units of the noise's marginal standard deviation.
 */
public final class SeriesGenerator {

  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  /** Monday 2024-01-01T00:00:00Z. */
  static final long START = 1_704_067_200_000L;

  /** How long after an anomaly ends a flag still counts as detecting it. */
  static final long GRACE = HOUR;

  private enum DailyShape {
    FLAT,
    WAVE,
    BUSINESS_HOURS,
    NIGHTLY_PEAK
  }

  private final SplittableRandom random;
  private final boolean firstDay;

  public SeriesGenerator(long seed) {
    this(seed, false);
  }

  /**
   * @param firstDay inject every anomaly between hours 6 and 22 of the first day instead of after
   *     four days: what detection costs on a series that has not shown a day yet
   */
  public SeriesGenerator(long seed, boolean firstDay) {
    random = new SplittableRandom(seed);
    this.firstDay = firstDay;
  }

  /** {@code perKind} series of every kind, alternating one- and five-minute sampling. */
  public List<LabelledSeries> generate(int perKind) {
    List<LabelledSeries> all = new ArrayList<>();
    for (AnomalyKind kind : AnomalyKind.values()) {
      for (int i = 0; i < perKind; i++) {
        long interval = (i % 2 == 0 ? 5 : 1) * MINUTE;
        all.add(series(kind, interval, i));
      }
    }
    return all;
  }

  private LabelledSeries series(AnomalyKind kind, long interval, int number) {
    int days = interval == MINUTE ? 7 + random.nextInt(4) : 8 + random.nextInt(7);
    int size = (int) (days * DAY / interval);
    long[] timestamps = new long[size];
    for (int i = 0; i < size; i++) {
      timestamps[i] = START + i * interval;
    }
    Base base = new Base(kind == AnomalyKind.BROKEN_SEASONALITY);
    String name =
        String.join(
            "_",
            kind.name().toLowerCase(Locale.ROOT),
            (interval / MINUTE) + "m",
            base.describe(),
            Integer.toString(number));
    double[] values = base.render(timestamps);
    List<LabelledSeries.Window> windows = new ArrayList<>();
    if (kind != AnomalyKind.NONE) {
      windows.add(inject(kind, base, timestamps, values, interval, days));
    }
    return new LabelledSeries(name, kind, timestamps, values, windows);
  }

  private LabelledSeries.Window inject(
      AnomalyKind kind, Base base, long[] t, double[] values, long interval, int days) {
    long earliest = firstDay ? START + 6 * HOUR : START + 4 * DAY;
    long latest = firstDay ? START + 22 * HOUR : START + (days - 1) * DAY;
    long startTime = earliest + (long) (random.nextDouble() * (latest - earliest));
    int start = (int) ((startTime - START) / interval);
    double sigma = base.marginalSigma();
    return switch (kind) {
      case SPIKE, DIP -> {
        int length = 1 + random.nextInt(3);
        double size = (kind == AnomalyKind.SPIKE ? 1 : -1) * sigma * uniform(6, 12);
        for (int i = start; i < start + length; i++) {
          values[i] += size;
        }
        yield window(t[start], t[start + length - 1]);
      }
      case LEVEL_SHIFT -> {
        double size = sign() * sigma * uniform(3, 8);
        for (int i = start; i < values.length; i++) {
          values[i] += size;
        }
        yield window(t[start], t[start] + 2 * HOUR);
      }
      case TREND_CHANGE -> {
        int ramp = (int) (uniform(3, 8) * HOUR / interval);
        double size = sign() * sigma * uniform(6, 12);
        for (int i = start; i < values.length; i++) {
          values[i] += size * Math.min(1.0, (i - start) / (double) ramp);
        }
        yield window(t[start], t[Math.min(values.length - 1, start + ramp)]);
      }
      case VARIANCE_CHANGE -> {
        int length = (int) (uniform(3, 6) * HOUR / interval);
        double factor = uniform(3, 5);
        for (int i = start; i < Math.min(values.length, start + length); i++) {
          values[i] += base.noiseAt(i) * (factor - 1);
        }
        yield window(t[start], t[Math.min(values.length - 1, start + length - 1)]);
      }
      case BROKEN_SEASONALITY -> {
        long dayStart = startTime - Math.floorMod(startTime - START, DAY);
        long peakStart = dayStart + base.peakHour * HOUR;
        long peakEnd = peakStart + (long) (base.peakHours * HOUR);
        for (int i = 0; i < values.length; i++) {
          if (t[i] >= peakStart && t[i] < peakEnd) {
            values[i] -= base.dailyAt(t[i]);
          }
        }
        yield window(peakStart, peakEnd);
      }
      case NONE -> throw new IllegalArgumentException("nothing to inject");
    };
  }

  private static LabelledSeries.Window window(long start, long end) {
    return new LabelledSeries.Window(start, end + GRACE);
  }

  private double uniform(double low, double high) {
    return low + random.nextDouble() * (high - low);
  }

  private double sign() {
    return random.nextBoolean() ? 1 : -1;
  }

  /** The normal behaviour of one series; keeps its noise so variance changes can scale it. */
  private final class Base {
    final double level = Math.exp(uniform(Math.log(10), Math.log(1000)));
    final double innovation = level * uniform(0.01, 0.05);
    final double phi = uniform(0, 0.7);
    final boolean heavyTails = random.nextDouble() < 0.3;
    final double wander = random.nextDouble() < 0.5 ? innovation * 0.03 : 0;
    final DailyShape shape;
    final double amplitude;
    final double weekend;
    final int peakHour = 1 + random.nextInt(20);
    final double peakHours = uniform(1.5, 3);
    private double[] noise;

    Base(boolean needsPeak) {
      DailyShape[] shapes = DailyShape.values();
      shape = needsPeak ? DailyShape.NIGHTLY_PEAK : shapes[random.nextInt(shapes.length)];
      amplitude = marginalSigma() * uniform(needsPeak ? 8 : 3, 15);
      weekend = random.nextBoolean() ? uniform(0.5, 0.8) : 1;
    }

    /** Daily shape, weekly damping and noise, e.g. {@code wave-weekly-ar5-t}. */
    String describe() {
      String text = shape.name().toLowerCase(Locale.ROOT).replace("_", "");
      text += weekend < 1 ? "-weekly" : "";
      text += "-ar" + (int) (phi * 10);
      text += heavyTails ? "-t" : "";
      return text + (wander > 0 ? "-wander" : "");
    }

    double marginalSigma() {
      return innovation / Math.sqrt(1 - phi * phi);
    }

    double[] render(long[] timestamps) {
      noise = new double[timestamps.length];
      double[] values = new double[timestamps.length];
      double ar = 0;
      double drift = 0;
      for (int i = 0; i < timestamps.length; i++) {
        ar = phi * ar + innovation * shock();
        drift += wander * random.nextGaussian();
        noise[i] = ar;
        values[i] = level + drift + dailyAt(timestamps[i]) + ar;
      }
      return values;
    }

    double noiseAt(int index) {
      return noise[index];
    }

    double dailyAt(long timestamp) {
      double hour = Math.floorMod(timestamp - START, DAY) / (double) HOUR;
      long day = Math.floorDiv(timestamp - START, DAY) % 7;
      double scale = day >= 5 ? weekend : 1;
      double cycle =
          switch (shape) {
            case FLAT -> 0;
            case WAVE -> Math.sin(2 * Math.PI * (hour - 8) / 24);
            case BUSINESS_HOURS ->
                1 / (1 + Math.exp(-(hour - 8) * 2)) - 1 / (1 + Math.exp(-(hour - 18) * 2));
            case NIGHTLY_PEAK -> hour >= peakHour && hour < peakHour + peakHours ? 1 : 0;
          };
      return scale * amplitude * cycle;
    }

    private double shock() {
      if (!heavyTails) {
        return random.nextGaussian();
      }
      // Student's t with 5 degrees of freedom, scaled to unit variance.
      double chi = 0;
      for (int k = 0; k < 5; k++) {
        double g = random.nextGaussian();
        chi += g * g;
      }
      return random.nextGaussian() / Math.sqrt(chi / 5) / Math.sqrt(5.0 / 3);
    }
  }
}
