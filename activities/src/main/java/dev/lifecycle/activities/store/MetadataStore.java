package dev.lifecycle.activities.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lifecycle.activities.LifecycleSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The metadata database: the data catalog, the model registry, lineage and experiments, over JDBC.
 * Opening it applies the Flyway migrations in {@code classpath:db/migration} (applying them again
 * is a no-op), so every worker that starts brings the schema up to date; Flyway's lock lets several
 * start at once.
 *
 * <pre>{@code
 * LifecycleSettings settings = LifecycleSettings.fromEnvironment(System.getenv());
 * try (MetadataStore store = MetadataStore.open(settings)) {
 *   ModelVersion v = store.models().register(newVersion);
 * }
 * }</pre>
 *
 * <p>H2 (a file under {@code LIFECYCLE_HOME/metadata}) is the default; PostgreSQL is used when
 * {@code LIFECYCLE_JDBC_URL} names it. Thread-safe.
 */
public final class MetadataStore implements AutoCloseable {
  /** Where the migrations live. */
  public static final String MIGRATIONS = "classpath:db/migration";

  private static final int POOL_SIZE = 8;

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final int migrationsApplied;
  private final DatasetCatalog datasets;
  private final ModelRegistry models;
  private final LineageStore lineage;
  private final ExperimentStore experiments;

  /**
   * A store over {@code dataSource}, migrated. The caller keeps ownership of the data source:
   * {@link #close()} does not close it.
   *
   * @throws MetadataStoreException when the database cannot be reached or migrated
   */
  public MetadataStore(DataSource dataSource) {
    this(dataSource, null);
  }

  private MetadataStore(DataSource dataSource, AutoCloseable owned) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.owned = owned;
    this.migrationsApplied = migrate(dataSource);
    Jdbc jdbc = new Jdbc(dataSource);
    this.datasets = new DatasetCatalog(jdbc);
    this.models = new ModelRegistry(jdbc);
    this.lineage = new LineageStore(jdbc);
    this.experiments = new ExperimentStore(jdbc);
  }

  /**
   * Opens the database that {@code settings} name, with a small connection pool that {@link
   * #close()} closes, and migrates it.
   *
   * @throws MetadataStoreException when the database cannot be reached or migrated
   */
  public static MetadataStore open(LifecycleSettings settings) {
    if (settings.jdbcUrl().startsWith("jdbc:h2:file:")) {
      try {
        Files.createDirectories(settings.home().resolve("metadata"));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot create the metadata directory under " + settings.home(), e);
      }
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("lifecycle-metadata");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.jdbcUser());
    config.setPassword(settings.jdbcPassword());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setAutoCommit(true);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new MetadataStoreException(
          "Cannot connect to the metadata database "
              + redact(settings.jdbcUrl())
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      return new MetadataStore(pool, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** The data catalog. */
  public DatasetCatalog datasets() {
    return datasets;
  }

  /** The model registry. */
  public ModelRegistry models() {
    return models;
  }

  /** Lineage edges. */
  public LineageStore lineage() {
    return lineage;
  }

  /** Experiment tracking: training runs, their epochs, comparisons. */
  public ExperimentStore experiments() {
    return experiments;
  }

  /** The database, for other stores that live in it. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** How many migrations opening this store applied (0 when the schema was up to date). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /** Closes the connection pool if {@link #open(LifecycleSettings)} created it. */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new MetadataStoreException("Cannot close the metadata database", e);
      }
    }
  }

  private static int migrate(DataSource dataSource) {
    try {
      MigrateResult result =
          Flyway.configure(MetadataStore.class.getClassLoader())
              .dataSource(dataSource)
              .locations(MIGRATIONS)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new MetadataStoreException(
          "Cannot migrate the metadata database: " + e.getMessage(), e);
    }
  }

  private static String redact(String jdbcUrl) {
    // Passwords can ride in URL parameters; keep them out of messages and logs.
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
