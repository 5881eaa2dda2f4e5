/**
 * The rtsql server: one long-lived {@link io.sluice.sql.RtsqlEngine} behind an HTTP + JSON API
 * ({@link io.sluice.sql.server.SqlServer}), its bearer token ({@link io.sluice.sql.server.TokenFile}),
 * its persistent metastore ({@link io.sluice.sql.server.Metastore}), and the registry of agents
 * that tee their components to it ({@link io.sluice.sql.server.NodeRegistry}). Every public class
 * says whether it is thread-safe; the server, the metastore and the registry are.
 */
package io.sluice.sql.server;
