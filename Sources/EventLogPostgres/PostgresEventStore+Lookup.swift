public import EventLog
import Postgres

extension PostgresEventStore: EventLookup {
    /// Sent unprepared on purpose: PostgreSQL then plans with the values, so a partial
    /// expression index on the type and fields (e.g. `events_hire_badge_key`) serves the query.
    public func streams(ofType type: String, matching fields: [(field: String, value: String)]) async throws -> [StreamID] {
        var bindings = PostgresBindings()
        bindings.append(type)
        var sql = "SELECT DISTINCT stream_id FROM muster.events WHERE event_type = $1"
        for (field, value) in fields {
            bindings.append(field)
            bindings.append(value)
            sql += " AND data->>$\(bindings.count - 1) = $\(bindings.count)"
        }
        sql += " ORDER BY stream_id"
        let query = PostgresQuery(unsafeSQL: sql, bindings: bindings)
        return try await onConnection { connection in
            try connection.query(query, prepared: false).decodeAll(as: String.self).compactMap { try? StreamID(validating: $0) }
        }
    }
}
