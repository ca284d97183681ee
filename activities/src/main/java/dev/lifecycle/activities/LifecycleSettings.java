package dev.lifecycle.activities;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Lifecycle keeps its state, from the environment: {@code LIFECYCLE_HOME} (default {@code
 * ~/.lifecycle}) holds the artifact store and the H2 metadata database; {@code LIFECYCLE_JDBC_URL},
 * {@code LIFECYCLE_JDBC_USER}, {@code LIFECYCLE_JDBC_PASSWORD} choose another metadata database
 * (PostgreSQL in production).
 */
public record LifecycleSettings(Path home, String jdbcUrl, String jdbcUser, String jdbcPassword) {

  /** Settings read from {@code env}. */
  public static LifecycleSettings fromEnvironment(Map<String, String> env) {
    Path home =
        env.containsKey("LIFECYCLE_HOME")
            ? Path.of(env.get("LIFECYCLE_HOME"))
            : Path.of(System.getProperty("user.home"), ".lifecycle");
    return of(
        home,
        env.get("LIFECYCLE_JDBC_URL"),
        env.get("LIFECYCLE_JDBC_USER"),
        env.get("LIFECYCLE_JDBC_PASSWORD"));
  }

  /** Settings for {@code home}; a null JDBC URL means H2 in {@code home/metadata}. */
  public static LifecycleSettings of(Path home, String jdbcUrl, String user, String password) {
    Path absolute = home.toAbsolutePath().normalize();
    String url =
        jdbcUrl == null || jdbcUrl.isBlank()
            ? "jdbc:h2:file:"
                + absolute.resolve("metadata").resolve("lifecycle")
                + ";AUTO_SERVER=TRUE"
            : jdbcUrl;
    return new LifecycleSettings(
        absolute, url, user == null ? "sa" : user, password == null ? "" : password);
  }

  /** The artifact store's root. */
  public Path artifacts() {
    return home.resolve("artifacts");
  }
}
