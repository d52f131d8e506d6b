public import EventLog
public import Foundation
public import Postgres
import Synchronization

extension PostgresEventStore {
    public func readStream(_ stream: StreamID, from version: Int, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        let from = min(version, Int(Int32.max))
        return try await onConnection(stream: stream) { connection in
            let query: PostgresQuery =
                switch direction {
                case .forward:
                    """
                    SELECT \(unsafeSQL: EventRowDecoder.columns) FROM muster.events
                    WHERE stream_id = \(stream.rawValue) AND stream_version >= \(from)
                    ORDER BY stream_version LIMIT \(limit)
                    """
                case .backward:
                    """
                    SELECT \(unsafeSQL: EventRowDecoder.columns) FROM muster.events
                    WHERE stream_id = \(stream.rawValue) AND stream_version <= \(from)
                    ORDER BY stream_version DESC LIMIT \(limit)
                    """
                }
            return try EventRowDecoder.decode(connection.query(query, prepared: true))
        }
    }

    /// One page of a stream with only the metadata folding and deciding use (see ``EventStore``).
    public func readStreamToFold(_ stream: StreamID, from version: Int, limit: Int) async throws -> [RecordedEvent] {
        let from = min(version, Int(Int32.max))
        return try await onConnection(stream: stream) { connection in
            try EventRowDecoder.decode(
                connection.query(
                    """
                    SELECT \(unsafeSQL: EventRowDecoder.foldColumns) FROM muster.events
                    WHERE stream_id = \(stream.rawValue) AND stream_version >= \(from)
                    ORDER BY stream_version LIMIT \(limit)
                    """, prepared: true))
        }
    }

    /// One stream's summary, for listings.
    public struct StreamSummary: Sendable, Hashable, Codable {
        public var stream: String
        public var version: Int
        public var lastRecordedAt: Date
    }

    /// Streams whose name starts with `prefix`, by name, from the first after `after` (a page).
    public func streams(prefix: String = "", after: String = "", limit: Int = 1000) async throws -> [StreamSummary] {
        try await onConnection { connection in
            let rows = try connection.query(
                """
                SELECT stream_id, max(stream_version), max(recorded_at) FROM muster.events
                WHERE starts_with(stream_id, \(prefix)) AND stream_id > \(after)
                GROUP BY stream_id ORDER BY stream_id LIMIT \(limit)
                """)
            return try (0..<rows.count).map { row in
                StreamSummary(
                    stream: try rows.decode(String.self, row: row, column: 0), version: try rows.decode(Int.self, row: row, column: 1),
                    lastRecordedAt: try rows.decode(Date.self, row: row, column: 2))
            }
        }
    }

    public func readAll(after position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await onConnection { connection in
            try Self.readAll(after: position, limit: limit, on: connection)
        }
    }

    /// Keyset page in log order, below the safe horizon: only rows whose writing transaction is
    /// older than every transaction still running, so no later commit can land behind it.
    public static func readAll(after position: LogPosition, limit: Int, on connection: PostgresConnection) throws -> [RecordedEvent] {
        try EventRowDecoder.decode(
            connection.query(
                """
                SELECT \(unsafeSQL: EventRowDecoder.columns) FROM muster.events
                WHERE (xact_id, global_position) > (\(PostgresTransactionID(position.transaction)), \(position.global))
                  AND xact_id < muster.log_horizon()
                ORDER BY xact_id, global_position
                LIMIT \(limit)
                """, prepared: true))
    }

    /// One stream's events that come before `position` in log order (for projections that
    /// load a stream the first time they meet it mid-log).
    public static func readStream(_ stream: StreamID, before position: LogPosition, on connection: PostgresConnection) throws -> [RecordedEvent] {
        try EventRowDecoder.decode(
            connection.query(
                """
                SELECT \(unsafeSQL: EventRowDecoder.columns) FROM muster.events
                WHERE stream_id = \(stream.rawValue)
                  AND (xact_id, global_position) < (\(PostgresTransactionID(position.transaction)), \(position.global))
                ORDER BY stream_version
                """, prepared: true))
    }

    public func readCategory(_ category: String, after position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await onConnection { try Self.readCategory(category, after: position, limit: limit, on: $0) }
    }

    /// Up to `limit` events of streams in `category` after `position`, in log order, below the
    /// safe horizon.
    public static func readCategory(_ category: String, after position: LogPosition, limit: Int, on connection: PostgresConnection) throws
        -> [RecordedEvent]
    {
        try EventRowDecoder.decode(
            connection.query(
                """
                SELECT \(unsafeSQL: EventRowDecoder.columns) FROM muster.events
                WHERE (split_part(stream_id, '-', 1), xact_id, global_position)
                        > (\(category), \(PostgresTransactionID(position.transaction)), \(position.global))
                  AND split_part(stream_id, '-', 1) = \(category)
                  AND xact_id < muster.log_horizon()
                ORDER BY split_part(stream_id, '-', 1), xact_id, global_position
                LIMIT \(limit)
                """, prepared: true))
    }

    /// Catches up from `position`, then follows new commits. Uses its own connection, which
    /// listens on `muster_events` and polls every ``pollInterval`` as a fallback (a writer that
    /// crashed before its wake-up, or a change made outside Muster). On a hot standby, which
    /// cannot listen, it only polls.
    public func subscribe(after position: LogPosition) -> EventSubscription {
        let listener = Listener(configuration: configuration, pollInterval: pollInterval)
        return EventSubscription(
            start: position,
            fetch: { position, limit in try await listener.fetch(after: position, limit: limit) },
            wait: { try await listener.wait() })
    }
}

/// A subscription's own connection: reads pages and waits for notifications.
actor Listener {
    static let channel = "muster_events"
    let configuration: PostgresConfiguration
    let pollInterval: Duration
    private var client: PostgresClient?

    init(configuration: PostgresConfiguration, pollInterval: Duration) {
        self.configuration = configuration
        self.pollInterval = pollInterval
    }

    private func connected() async throws -> PostgresClient {
        if let client { return client }
        let client = try await PostgresClient.connect(configuration)
        try await client.withConnection { connection in
            // A hot standby refuses LISTEN: there, waiting is a poll of `pollInterval`.
            if try !connection.query("SELECT pg_is_in_recovery()").decodeRow(0, as: Bool.self) { try connection.listen(Self.channel) }
        }
        self.client = client
        return client
    }

    func fetch(after position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await withEventLogErrors {
            try await connected().withConnectionRetryingOnce { try PostgresEventStore.readAll(after: position, limit: limit, on: $0) }
        }
    }

    func wait() async throws {
        try Task.checkCancellation()
        let client = try await connected()
        let interval = pollInterval
        do {
            _ = try await client.withConnection { try $0.waitForNotifications(timeout: interval) }
        } catch let error as PostgresError where error.code == .connectionLost {
            // The next fetch reconnects (and listens again); nothing is lost, since reads go by position.
        }
    }

    deinit {
        if let client { Task { await client.close() } }
    }
}

/// Sends coalesced wake-ups after appends commit.
///
/// The first append after a quiet spell wakes subscribers at once; appends during the next
/// `window` share one more notification. The notifying session runs with
/// `synchronous_commit = off`: a NOTIFY commits a transaction, and waiting for its WAL flush
/// would add a second fsync to every append. A lost wake-up only delays subscribers until
/// their next poll, so nothing depends on it being durable.
final class Notifier: Sendable {
    let configuration: PostgresConfiguration
    let window: Duration
    private struct State {
        var running = false
        var dirty = false
        /// A notification is being sent (the loop may also be waiting out its window).
        var sending = false
        /// The notifying connection, open or being opened.
        var client: Task<PostgresClient, any Error>?
    }
    private let state = Mutex(State())

    init(configuration: PostgresConfiguration, window: Duration = .milliseconds(10)) {
        var configuration = configuration
        configuration.options = [configuration.options, "-c synchronous_commit=off"].compactMap { $0 }.joined(separator: " ")
        self.configuration = configuration
        self.window = window
    }

    /// One notifier per database per process, shared by every store on it, so wake-ups are
    /// coalesced across all of the process's writers (reference-counted by ``acquire(for:)``).
    private static let registry = Mutex<[PostgresConfiguration: (notifier: Notifier, users: Int)]>([:])

    static func acquire(for configuration: PostgresConfiguration) -> Notifier {
        registry.withLock { registry in
            if let existing = registry[configuration] {
                registry[configuration] = (existing.notifier, existing.users + 1)
                return existing.notifier
            }
            let notifier = Notifier(configuration: configuration)
            registry[configuration] = (notifier, 1)
            return notifier
        }
    }

    /// Sends what is pending; closes the connection when the last store lets go.
    func release() async {
        await drain()
        let last = Self.registry.withLock { registry -> Bool in
            guard let entry = registry.first(where: { $0.value.notifier === self }) else { return false }
            if entry.value.users <= 1 {
                registry.removeValue(forKey: entry.key)
                return true
            }
            registry[entry.key] = (self, entry.value.users - 1)
            return false
        }
        if last { await close() }
    }

    /// Opens the notifying connection in the background unless it is open or opening, so the
    /// wake-up after an append does not wait for a connection of its own (a one-shot process
    /// would otherwise pay for a second connection after its append, in series).
    func prepare() {
        state.withLock { state in
            if state.client == nil { state.client = Task { [configuration] in try await PostgresClient.connect(configuration) } }
        }
    }

    /// Asks for a wake-up. Cheap: at most one task runs, however often this is called.
    func poke() {
        let start = state.withLock { state -> Bool in
            if state.running {
                state.dirty = true
                return false
            }
            state.running = true
            state.sending = true
            return true
        }
        if start { Task { await self.run() } }
    }

    private func run() async {
        while true {
            state.withLock {
                $0.dirty = false
                $0.sending = true
            }
            await send()
            state.withLock { $0.sending = false }
            try? await Task.sleep(for: window)
            let again = state.withLock { state -> Bool in
                if !state.dirty { state.running = false }
                return state.dirty
            }
            if !again { return }
        }
    }

    private func send() async {
        prepare()
        guard let connecting = state.withLock({ $0.client }) else { return }
        do {
            try await connecting.value.execute("SELECT pg_notify(\(Listener.channel), '')")
        } catch {
            // A lost wake-up only delays subscribers until their next poll.
            state.withLock { state in
                if state.client == connecting { state.client = nil }
            }
            await (try? connecting.value)?.close()
        }
    }

    /// Waits until every requested wake-up has been sent.
    /// Waits until nothing is pending: not for the window after the last send, which only
    /// coalesces later appends (a one-shot process would otherwise wait it out at exit).
    func drain() async {
        while state.withLock({ $0.running && ($0.sending || $0.dirty) }) {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    func close() async {
        let client = state.withLock { state -> Task<PostgresClient, any Error>? in
            defer { state.client = nil }
            return state.client
        }
        await (try? client?.value)?.close()
    }
}
