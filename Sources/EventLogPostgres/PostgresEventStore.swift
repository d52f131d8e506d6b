public import EventLog
import Foundation
public import Postgres
import Synchronization

/// The event store on PostgreSQL (see `schema/0001_event_log.sql`).
///
/// One store holds one connection, so its operations run one at a time; use a store per
/// concurrent writer. Appends are a single statement (one round trip when the stream's head
/// is known): the `UNIQUE (stream_id, stream_version)` constraint *is* the expected-version
/// check, and nothing is locked from insert to commit, so PostgreSQL's group commit works for
/// concurrent writers. Wake-ups for subscribers go out after commit, coalesced, on a separate
/// connection.
public final class PostgresEventStore: EventStore {
    public let configuration: PostgresConfiguration
    let client: PostgresClient
    let notifier: Notifier
    /// Last known version and hash per stream. A stale entry is harmless: the next append
    /// claims a version that already exists, fails on the unique constraint, and re-reads.
    let heads = Mutex<[StreamID: StreamHead]>([:])
    /// How often a caught-up subscription polls when no notification arrives.
    public let pollInterval: Duration

    struct StreamHead: Sendable {
        var version: Int
        var hash: [UInt8]
        static let empty = StreamHead(version: 0, hash: EventHash.genesis)
    }

    init(configuration: PostgresConfiguration, client: PostgresClient, pollInterval: Duration) {
        self.configuration = configuration
        self.pollInterval = pollInterval
        self.client = client
        self.notifier = Notifier.acquire(for: configuration)
    }

    /// Connects and checks that the event log exists.
    ///
    /// - Throws: ``EventLogError`` `storageUnavailable` when the server cannot be reached,
    ///   `notMigrated` when `muster db migrate` has not run.
    public static func connect(
        _ configuration: PostgresConfiguration, pollInterval: Duration = .milliseconds(500)
    ) async throws -> PostgresEventStore {
        try await withEventLogErrors {
            let client = try await PostgresClient.connect(configuration)
            try await client.withConnection { try Self.prepareLog(on: $0, configuration: configuration) }
            return PostgresEventStore(configuration: configuration, client: client, pollInterval: pollInterval)
        }
    }

    /// Checks that the log is migrated, and starts a new transaction-id epoch if this database
    /// was restored into another cluster (see `muster.ensure_log_epoch()`), so reads after a
    /// restore see every event in the order it had.
    public static func prepareLog(on connection: PostgresConnection, configuration: PostgresConfiguration) throws {
        let (events, epochs) = try connection.query(
            "SELECT to_regclass('muster.events') IS NOT NULL, to_regproc('muster.ensure_log_epoch') IS NOT NULL"
        ).decodeRow(0, as: Bool.self, Bool.self)
        guard events && epochs else {
            throw EventLogError(
                code: .notMigrated,
                message: "the database \(configuration) \(events ? "needs newer migrations" : "has no event log yet"); run `muster db migrate`")
        }
        try connection.query("SELECT muster.ensure_log_epoch()")
    }

    /// Sends any pending wake-up and closes the connections.
    public func close() async {
        await notifier.release()
        await client.close()
    }

    /// Runs `body` on the store's connection, retrying once if the connection had been lost
    /// (the retry reconnects). Only for idempotent work: reads, and appends (whose event ids
    /// make a repeat a no-op).
    func onConnection<T: Sendable>(stream: StreamID? = nil, _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withEventLogErrors(stream: stream) { try await client.withConnectionRetryingOnce(body) }
    }

    // MARK: - Append

    public func append(_ events: [EventData], to stream: StreamID, expectedVersion: ExpectedVersion) async throws -> AppendResult {
        guard !events.isEmpty else {
            throw EventLogError(code: .emptyAppend, message: "nothing to append to \(stream): pass at least one event", stream: stream)
        }
        let cached = heads.withLock { $0[stream] }
        notifier.prepare()
        let (result, head) = try await onConnection(stream: stream) { connection in
            try Self.append(events, to: stream, expectedVersion: expectedVersion, cachedHead: cached, on: connection)
        }
        heads.withLock { cache in
            if cache.count > 50_000 { cache.removeAll() }
            cache[stream] = head
        }
        notifier.poke()
        return result
    }

    /// The append itself, on the connection's thread. Retries (bounded) only for `.any`, when
    /// another writer took the version this one claimed.
    static func append(
        _ events: [EventData], to stream: StreamID, expectedVersion: ExpectedVersion, cachedHead: StreamHead?,
        on connection: PostgresConnection
    ) throws -> (AppendResult, StreamHead) {
        var head = cachedHead
        if case .noStream = expectedVersion { head = .empty }
        if let known = head, !expectedVersion.accepts(current: known.version) { head = nil }
        for _ in 0..<5 {
            let current: StreamHead
            if let head {
                current = head
            } else {
                current = try readHead(of: stream, on: connection)
            }
            guard expectedVersion.accepts(current: current.version) else {
                if let original = try existingAppend(of: events, to: stream, on: connection) { return original }
                throw EventLogError.wrongExpectedVersion(stream: stream, expected: expectedVersion, actual: current.version)
            }
            do {
                let written =
                    events.count == 1
                    ? try insertOne(events[0], to: stream, after: current, on: connection)
                    : try insertMany(events, to: stream, after: current, on: connection)
                return written
            } catch let error as PostgresError where error.isUniqueViolation {
                if let original = try existingAppend(of: events, to: stream, on: connection) { return original }
                if let name = error.constraint, name != "events_stream_version_key", name != "events_event_id_key" {
                    throw EventLogError(
                        code: .duplicateValue, message: "the log already holds an entry with this value, which must be unique (\(name))",
                        stream: stream, cause: error, constraint: name)
                }
                guard error.constraint == "events_stream_version_key" else {
                    throw EventLogError(
                        code: .duplicateEvent,
                        message: "an event id is already in the log with other content or in another stream; use new ids for new events",
                        stream: stream, cause: error)
                }
                let fresh = try readHead(of: stream, on: connection)
                guard case .any = expectedVersion else {
                    throw EventLogError.wrongExpectedVersion(stream: stream, expected: expectedVersion, actual: fresh.version)
                }
                head = fresh
            }
        }
        throw EventLogError(
            code: .wrongExpectedVersion,
            message: "stream \(stream) kept changing under five attempts to append; try again", stream: stream)
    }

    static func readHead(of stream: StreamID, on connection: PostgresConnection) throws -> StreamHead {
        let rows = try connection.query(
            """
            SELECT stream_version, hash FROM muster.events
            WHERE stream_id = \(stream.rawValue) ORDER BY stream_version DESC LIMIT 1
            """, prepared: true)
        guard rows.count == 1 else { return .empty }
        return StreamHead(
            version: try rows.decode(Int.self, row: 0, column: 0),
            hash: try rows.decode(PostgresBytes.self, row: 0, column: 1).bytes)
    }

    /// The columns a writer supplies. The database sets the rest on insert (position,
    /// transaction, recorded time, previous hash and hash): see `schema/0004_trust.sql`.
    static let writerColumns = "stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at"

    /// One event, one round trip.
    static func insertOne(
        _ event: EventData, to stream: StreamID, after head: StreamHead, on connection: PostgresConnection
    ) throws -> (AppendResult, StreamHead) {
        let version = head.version + 1
        let (transaction, global, hash) = try connection.query(
            """
            INSERT INTO muster.events (\(unsafeSQL: writerColumns))
            VALUES (\(stream.rawValue), \(version), \(event.id), \(event.type), \(event.schemaVersion), \(event.data)::jsonb,
                    \(event.canonicalMetadata)::jsonb, \(event.occurredAt))
            RETURNING xact_id, global_position, hash
            """, prepared: true
        ).decodeRow(0, as: PostgresTransactionID.self, Int64.self, PostgresBytes.self)
        let position = LogPosition(transaction: transaction.rawValue, global: global)
        return (
            AppendResult(stream: stream, firstVersion: version, lastVersion: version, positions: [position]),
            StreamHead(version: version, hash: hash.bytes)
        )
    }

    /// Several events in one multi-row INSERT (one statement, one round trip).
    static func insertMany(
        _ events: [EventData], to stream: StreamID, after head: StreamHead, on connection: PostgresConnection
    ) throws -> (AppendResult, StreamHead) {
        var bindings = PostgresBindings()
        bindings.append(stream.rawValue)
        var sql = "INSERT INTO muster.events (\(writerColumns)) VALUES "
        for (offset, event) in events.enumerated() {
            let first = bindings.count + 1
            bindings.append(head.version + offset + 1)
            bindings.append(event.id)
            bindings.append(event.type)
            bindings.append(event.schemaVersion)
            bindings.append(event.data)
            bindings.append(event.canonicalMetadata)
            bindings.append(event.occurredAt)
            let p = (first..<(first + 7)).map { "$\($0)" }
            sql += (offset == 0 ? "\n" : ",\n") + "($1, \(p[0]), \(p[1]), \(p[2]), \(p[3]), \(p[4])::jsonb, \(p[5])::jsonb, \(p[6]))"
        }
        sql += "\nRETURNING stream_version, xact_id, global_position, hash"
        let rows = try connection.query(PostgresQuery(unsafeSQL: sql, bindings: bindings), prepared: true)
            .decodeAll(as: Int.self, PostgresTransactionID.self, Int64.self, PostgresBytes.self)
            .sorted { $0.0 < $1.0 }
        let last = head.version + events.count
        return (
            AppendResult(
                stream: stream, firstVersion: head.version + 1, lastVersion: last,
                positions: rows.map { LogPosition(transaction: $0.1.rawValue, global: $0.2) }),
            StreamHead(version: last, hash: rows.last?.3.bytes ?? head.hash)
        )
    }

    /// When these event ids are already stored, in this stream, consecutively and with the
    /// same content, the append is a retry: returns what the original wrote.
    static func existingAppend(
        of events: [EventData], to stream: StreamID, on connection: PostgresConnection
    ) throws -> (AppendResult, StreamHead)? {
        let ids = "{" + events.map(\.id.uuidString).joined(separator: ",") + "}"
        let rows = try connection.query(
            """
            SELECT event_id, stream_id, stream_version, event_type, data, xact_id, global_position, hash
            FROM muster.events WHERE event_id = ANY(\(ids)::uuid[])
            """)
        guard rows.count > 0 else { return nil }
        var stored: [UUID: (stream: String, version: Int, type: String, data: String, position: LogPosition, hash: [UInt8])] = [:]
        for row in 0..<rows.count {
            stored[try rows.decode(UUID.self, row: row, column: 0)] = (
                try rows.decode(String.self, row: row, column: 1),
                try rows.decode(Int.self, row: row, column: 2),
                try rows.decode(String.self, row: row, column: 3),
                try rows.decode(String.self, row: row, column: 4),
                LogPosition(
                    transaction: try rows.decode(PostgresTransactionID.self, row: row, column: 5).rawValue,
                    global: try rows.decode(Int64.self, row: row, column: 6)),
                try rows.decode(PostgresBytes.self, row: row, column: 7).bytes
            )
        }
        let matches = events.compactMap { stored[$0.id] }
        let same =
            matches.count == events.count
            && zip(matches, events).allSatisfy { match, event in
                match.stream == stream.rawValue && match.type == event.type
                    && (try? CanonicalJSON.canonicalize(match.data, field: "data")) == event.data
            }
            && zip(matches, matches.dropFirst()).allSatisfy { $1.version == $0.version + 1 }
        guard same else {
            throw EventLogError(
                code: .duplicateEvent,
                message: "some of these event ids are already in the log with other content or in another stream; "
                    + "use new ids for new events", stream: stream)
        }
        let last = matches[matches.count - 1]
        return (
            AppendResult(stream: stream, firstVersion: matches[0].version, lastVersion: last.version, positions: matches.map(\.position)),
            StreamHead(version: last.version, hash: last.hash)
        )
    }
}
