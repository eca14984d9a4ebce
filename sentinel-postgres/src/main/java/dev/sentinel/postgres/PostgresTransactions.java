package dev.sentinel.postgres;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Lets several stores' writes share one transaction without passing connections through their
 * ports. Every PostgreSQL adapter gets {@link #dataSource()}: outside {@link #inTransaction} it is
 * the pool; inside, on that thread, it hands out the one connection of the transaction, in which
 * the adapters' own {@code commit}, {@code rollback}, {@code setAutoCommit} and {@code close} do
 * nothing, so their statements commit or roll back together when the transaction ends.
 *
 * <p>This is how the incident desk writes a decision — the attachment, the timeline entry, the
 * audit entry, the workflow case and the notification in the outbox — all or nothing.
 */
public final class PostgresTransactions {

  private final DataSource pool;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();
  private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
  private final DataSource joining;

  public PostgresTransactions(DataSource pool) {
    this.pool = pool;
    this.joining = new JoiningDataSource();
  }

  /** The data source every adapter should use, so that it joins a transaction when one is open. */
  public DataSource dataSource() {
    return joining;
  }

  /**
   * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws. A
   * nested call joins the outer transaction.
   *
   * @throws StateStoreException when the transaction cannot be begun or committed (nothing is
   *     written), or what {@code work} threw (after the rollback)
   */
  public void inTransaction(Runnable work) {
    if (bound.get() != null) {
      work.run();
      return;
    }
    Connection connection;
    try {
      connection = pool.getConnection();
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StateStoreException("cannot begin a transaction: " + e.getMessage(), e);
    }
    bound.set(connection);
    afterCommit.set(new ArrayList<>());
    List<Runnable> committed;
    try {
      work.run();
      connection.commit();
      committed = afterCommit.get();
    } catch (SQLException e) {
      rollbackQuietly(connection, e);
      throw new StateStoreException("cannot commit a transaction: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(connection, e);
      throw e;
    } finally {
      bound.remove();
      afterCommit.remove();
      try {
        connection.setAutoCommit(true);
        connection.close();
      } catch (SQLException e) {
        // The connection is broken; the pool drops it.
      }
    }
    committed.forEach(Runnable::run);
  }

  /**
   * Runs {@code action} once what was written through {@code dataSource} on this thread is
   * committed: at once outside a transaction, after the commit inside one, never after a rollback.
   * For effects outside the database that must not get ahead of it.
   */
  public static void afterCommit(DataSource dataSource, Runnable action) {
    if (dataSource instanceof JoiningDataSource joining) {
      joining.afterCommit(action);
    } else {
      action.run();
    }
  }

  /**
   * Whether a failure is worth trying again as it is: the database was unreachable, restarting or
   * timed out, rather than refusing what was asked (a constraint, a bug).
   */
  public static boolean isTransient(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exception; 57P: operator intervention (shutdown, restart); 53: out of
        // resources; 40001/40P01: serialization failure, deadlock (a retry succeeds).
        if (state.startsWith("08")
            || state.startsWith("57P")
            || state.startsWith("53")
            || state.equals("40001")
            || state.equals("40P01")) {
          return true;
        }
      }
    }
    return false;
  }

  private static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** The pool outside a transaction; the transaction's connection, guarded, inside one. */
  private final class JoiningDataSource implements DataSource {

    void afterCommit(Runnable action) {
      List<Runnable> pending = PostgresTransactions.this.afterCommit.get();
      if (pending == null) {
        action.run();
      } else {
        pending.add(action);
      }
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection connection = bound.get();
      return connection == null ? pool.getConnection() : joined(connection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the state store's credentials are fixed");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return pool.isWrapperFor(type);
    }
  }

  /**
   * The transaction's connection as an adapter sees it: the calls that would end or split the
   * transaction are ignored (the transaction's owner ends it); everything else goes through.
   */
  private static Connection joined(Connection connection) {
    InvocationHandler handler =
        (proxy, method, arguments) -> {
          switch (method.getName()) {
            case "close", "commit", "rollback", "setAutoCommit" -> {
              if (!isSavepointRollback(method)) {
                return null;
              }
            }
            case "isClosed" -> {
              return false;
            }
            case "getAutoCommit" -> {
              return false;
            }
            default -> {}
          }
          try {
            return method.invoke(connection, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private static boolean isSavepointRollback(Method method) {
    return method.getName().equals("rollback") && method.getParameterCount() == 1;
  }
}
