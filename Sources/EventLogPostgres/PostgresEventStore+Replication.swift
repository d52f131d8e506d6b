import Postgres

/// What a store knows about replication: where the primary's write-ahead log is after this
/// store's appends (read-your-writes on a replica), and whether its server is a hot standby.
extension PostgresEventStore {
    /// A position in the primary's write-ahead log, as `pg_lsn` text (`16/B374D848`), at or
    /// after the commit of every append this store has had acknowledged: a standby that has
    /// replayed up to it shows them. It is the flushed end of the log (a commit is flushed
    /// before it is acknowledged), which the primary sends on at once; only a session that
    /// commits with `synchronous_commit = off` takes the insert position, since its commits may
    /// not be flushed yet. Fails on a standby, which writes no log of its own.
    public func walPosition() async throws -> String {
        try await onConnection { connection in
            try connection.query(
                """
                SELECT CASE WHEN current_setting('synchronous_commit') = 'off' THEN pg_current_wal_insert_lsn()
                            ELSE pg_current_wal_flush_lsn() END::text
                """
            ).decodeRow(0, as: String.self)
        }
    }

    /// Whether the server is a hot standby (read-only, replaying a primary's log).
    public func isStandby() async throws -> Bool {
        try await onConnection { try $0.query("SELECT pg_is_in_recovery()").decodeRow(0, as: Bool.self) }
    }
}
