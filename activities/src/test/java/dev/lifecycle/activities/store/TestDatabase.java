package dev.lifecycle.activities.store;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lifecycle.activities.LifecycleSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the metadata store must work on. PostgreSQL comes from {@code
 * LIFECYCLE_TEST_POSTGRES_URL} (+ {@code _USER}, {@code _PASSWORD}; {@code .ci/postgres.sh} starts
 * one); without it PostgreSQL tests are skipped, except under {@code CI=true}, where they fail so
 * that CI never passes without having tested PostgreSQL.
 */
public enum TestDatabase {
  H2,
  POSTGRESQL;

  static final String URL = "LIFECYCLE_TEST_POSTGRES_URL";

  /** A fresh, empty database of this kind; closing it drops what the test made. */
  public Instance create(Path tempDir) {
    return switch (this) {
      case H2 -> new Instance(LifecycleSettings.of(tempDir, null, null, null), null);
      case POSTGRESQL -> postgres(tempDir);
    };
  }

  private static Instance postgres(Path tempDir) {
    String url = System.getenv(URL);
    if (url == null || url.isBlank()) {
      String why = URL + " is not set: run `eval \"$(bash .ci/postgres.sh)\"` to test PostgreSQL";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true but " + why);
      }
      Assumptions.abort(why);
    }
    String user = System.getenv("LIFECYCLE_TEST_POSTGRES_USER");
    String password = System.getenv("LIFECYCLE_TEST_POSTGRES_PASSWORD");
    String schema = "lc_test_" + UUID.randomUUID().toString().replace("-", "");
    execute(url, user, password, "CREATE SCHEMA " + schema);
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new Instance(
        LifecycleSettings.of(tempDir, scoped, user, password),
        () -> execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE"));
  }

  private static void execute(String url, String user, String password, String sql) {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + url + " refused: " + sql, e);
    }
  }

  /** One test's database. */
  public static final class Instance implements AutoCloseable {
    private final LifecycleSettings settings;
    private final Runnable cleanup;

    Instance(LifecycleSettings settings, Runnable cleanup) {
      this.settings = settings;
      this.cleanup = cleanup;
    }

    public LifecycleSettings settings() {
      return settings;
    }

    /** Opens (and migrates) a store on this database; may be called again to reopen it. */
    public MetadataStore open() {
      return MetadataStore.open(settings);
    }

    @Override
    public void close() {
      if (cleanup != null) {
        cleanup.run();
      }
    }
  }
}
