public import EventLog
public import Postgres

/// Whole-log work that bypasses row-at-a-time reads: a rebuild's scan, a projector's lag, and a
/// benchmark's bulk load. Every statement on `muster.events` lives in this module.
extension PostgresEventStore {
    /// The columns of each tuple ``scanStreams(from:to:below:on:_:)`` hands over, in order:
    /// `stream_id` (text), `xact_id` (int8), `global_position` (int8), `stream_version` (int4),
    /// `event_id` (text), `event_type` (text), `schema_version` (int4), `data` (text), `actor_id`
    /// (text), `actor_role` (text), `occurred_on` (int4, days since 1970-01-01 in UTC), `agency`
    /// (text, the stream's).
    public static let scanColumnCount = 12

    /// The select list of those columns (one place for both the count above and the scan).
    static let scanColumns = """
        stream_id, xact_id, global_position, stream_version, event_id::text, event_type, schema_version,
        data::text, metadata->>'actor_id', metadata->>'actor_role', (occurred_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01',
        agency
        """

    /// How many events come after `position` in log order (committed or not yet below the horizon).
    public static func countEvents(after position: LogPosition, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            """
            SELECT count(*) FROM muster.events
            WHERE (xact_id, global_position) > (\(PostgresTransactionID(position.transaction)), \(position.global))
            """)
        return try rows.decode(Int.self, row: 0, column: 0)
    }

    /// Loads rows in COPY text format in one statement (synthetic data for benchmarks). Each
    /// row holds what a writer supplies, in order: `stream_id`, `stream_version`, `event_id`,
    /// `event_type`, `schema_version`, `data`, `metadata`, `occurred_at`; the database stamps
    /// the rest as it does for every insert, so the chains verify.
    public static func copyIn(_ rows: PostgresCopyText, on connection: PostgresConnection) throws {
        try connection.copyIn(unsafeSQL: "COPY muster.events (\(writerColumns)) FROM STDIN") { write in try write(rows.bytes) }
    }
}

extension PostgresEventStore {
    /// The transaction holding the safe horizon back: the oldest one still running, with who
    /// runs it. `nil` when none is (or it cannot be seen from this role).
    public static func horizonHolder(on connection: PostgresConnection) throws -> (
        pid: Int, ageSeconds: Int, application: String, user: String, state: String
    )? {
        try connection.query(
            """
            SELECT pid, coalesce(extract(epoch FROM now() - xact_start)::bigint, 0), coalesce(application_name, ''), coalesce(usename, ''),
                   coalesce(state, '')
            FROM pg_stat_activity
            WHERE backend_xid IS NOT NULL AND backend_xid::text::xid8 = pg_snapshot_xmin(pg_current_snapshot())
            LIMIT 1
            """
        ).decodeAll(as: Int.self, Int.self, String.self, String.self, String.self).first.map {
            (pid: $0, ageSeconds: $1, application: $2, user: $3, state: $4)
        }
    }
}
