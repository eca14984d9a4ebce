package dev.sentinel.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from outside the JVM: a service the test script starts, a browser, a binary. On
 * a developer's machine a missing one skips the test, with the reason; in CI (the {@code CI}
 * variable set, as {@code .ci/run} does) it fails the test, so that a green run never hides a test
 * that did not run.
 */
public final class Prerequisites {

  private Prerequisites() {}

  /**
   * @param present whether the prerequisite is there
   * @param missing what is missing and how to get it, for the skip or the failure
   */
  public static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if (inCi()) {
      throw new AssertionError("CI is set, so this test may not skip: " + missing);
    }
    Assumptions.abort(missing);
  }

  static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }
}
