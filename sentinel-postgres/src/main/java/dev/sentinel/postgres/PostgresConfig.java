package dev.sentinel.postgres;

/**
 * Where the state store lives.
 *
 * @param url a JDBC URL of an external PostgreSQL ({@code jdbc:postgresql://host:5432/db}); empty
 *     to run the bundled PostgreSQL under the data directory
 * @param user the user for an external server
 * @param password the password for an external server (prefer {@code SENTINEL_STATE_PASSWORD})
 * @param poolSize connections in the pool
 */
public record PostgresConfig(String url, String user, String password, int poolSize) {

  public PostgresConfig {
    url = url == null ? "" : url.strip();
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "url must be empty (bundled PostgreSQL) or start with jdbc:postgresql:, was '"
              + url
              + "'");
    }
    if (poolSize < 1 || poolSize > 200) {
      throw new IllegalArgumentException("poolSize must be in 1..200, was " + poolSize);
    }
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  public static PostgresConfig defaults() {
    return new PostgresConfig("", "", "", 8);
  }

  public boolean bundled() {
    return url.isEmpty();
  }

  @Override
  public String toString() {
    return "PostgresConfig[url="
        + (bundled() ? "(bundled)" : url)
        + ", user="
        + user
        + ", poolSize="
        + poolSize
        + "]";
  }
}
