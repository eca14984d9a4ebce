package dev.sentinel.analyse;

/** Matches names against simple globs where {@code *} stands for any run of characters. */
public final class Glob {

  private Glob() {}

  public static boolean matches(String glob, String name) {
    return matches(glob, 0, name, 0);
  }

  private static boolean matches(String glob, int g, String name, int n) {
    while (g < glob.length()) {
      char c = glob.charAt(g);
      if (c == '*') {
        for (int rest = n; rest <= name.length(); rest++) {
          if (matches(glob, g + 1, name, rest)) {
            return true;
          }
        }
        return false;
      }
      if (n == name.length() || name.charAt(n) != c) {
        return false;
      }
      g++;
      n++;
    }
    return n == name.length();
  }
}
