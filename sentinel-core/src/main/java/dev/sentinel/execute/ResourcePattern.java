package dev.sentinel.execute;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over a target's {@code scope/resource} ({@code resource} alone when it has no scope):
 * {@code *} matches within one path segment, {@code **} across segments, {@code ?} one character.
 * So {@code prod/deployment/checkout-*} allows checkout's deployments in namespace prod, {@code
 * prod/**} everything in prod, and {@code i-0abc*} matching EC2 instances.
 */
public record ResourcePattern(String glob) {

  public ResourcePattern {
    Objects.requireNonNull(glob, "glob");
    if (glob.isBlank()) {
      throw new IllegalArgumentException("a resource pattern must not be blank");
    }
  }

  public boolean matches(String path) {
    return regex().matcher(path).matches();
  }

  private Pattern regex() {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(Character.toString(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return glob;
  }
}
