package dev.quarry.pipeline.hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A published snapshot read the way analysts read it: DuckDB over the Parquet files, with hive partitioning. */
final class SnapshotSql implements AutoCloseable {
  static final List<String> TABLES = List.of("files", "segments", "chunks", "symbols", "diagnostics");

  private final Connection connection;

  private SnapshotSql(Connection connection) {
    this.connection = connection;
  }

  /** The snapshot {@code out/CURRENT} names. */
  static Path current(Path out) throws java.io.IOException {
    return out.resolve("snapshots").resolve(Files.readString(out.resolve("CURRENT")).trim());
  }

  static SnapshotSql open(Path snapshot) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions=false");
      s.execute("SET autoload_known_extensions=false");
      for (String table : TABLES) {
        s.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('"
            + snapshot.resolve(table).toString().replace("'", "''") + "/*/*.parquet', hive_partitioning = true)");
      }
    }
    return new SnapshotSql(c);
  }

  /** Rows as column name to value, in query order. */
  List<Map<String, Object>> rows(String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The single value of a one-row, one-column query. */
  Object value(String sql) throws SQLException {
    List<Map<String, Object>> rows = rows(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).values().iterator().next();
  }

  /** The single number of a one-row, one-column query (a count, an offset, a line). */
  long count(String sql) throws SQLException {
    return ((Number) value(sql)).longValue();
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
