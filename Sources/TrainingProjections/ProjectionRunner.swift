import EventLog
import EventLogPostgres
import Foundation
public import Postgres
import Synchronization
import TrainingDomain
public import TrainingRecords

/// Keeps the read models (`muster.trainee_status`, `muster.coursework_currency`,
/// `muster.fto_qualification`, `muster.category_trends`) in step with the log.
///
/// Each batch runs in one transaction: lock the checkpoint row, read the events after it (below
/// the safe horizon, so none is skipped), fold each touched stream with the domain's own
/// `evolve`, rewrite that stream's rows, move the checkpoint, commit. Killed anywhere, nothing
/// is committed half-way: the next run starts from the last committed checkpoint. The folded
/// files are cached between batches; the cache is dropped whenever a batch fails or the
/// checkpoint moved under it (a rebuild swapped tables), so nothing is applied twice.
public final class ProjectionRunner: Sendable {
    public static let projection = "training"
    static let tables = ["trainee_status", "coursework_currency", "fto_qualification", "category_trends"]
    /// The stream categories the read models are made from.
    static let categories: [Streams.Category] = [.trainee, .officer, .policy]

    let client: PostgresClient
    /// Today, for choosing the policy in force (rows themselves hold no "today").
    let clock: WallClock
    private let cache = Mutex(Cache())

    struct Cache: Sendable {
        var checkpoint: LogPosition?
        var files: [StreamID: PersonnelFile] = [:]
        var policies = PolicyDecider.initial
        /// Built from the start of the log without evicting anything: a stream missing from the
        /// cache has no earlier events (a rebuild never has to load one).
        var complete = false

        /// Unreadable entries of policy streams, by stream and version (a person's are in their file).
        var unreadablePolicies: [QuarantineRow] = []

        /// Folds one entry into its stream's file, in place (a copy would duplicate the
        /// file's arrays on every event).
        mutating func apply(_ entry: Entry, to stream: StreamID) {
            if Streams.category(of: stream) == .policy {
                if case .unreadable(let unreadable) = entry.event {
                    unreadablePolicies.append(QuarantineRow(stream: stream.rawValue, entry: entry.id, unreadable: unreadable))
                }
                PolicyDecider.evolve(&policies, entry)
                return
            }
            TrainingDecider.evolve(&files[stream, default: PersonnelFile()], entry)
        }
    }

    public init(client: PostgresClient, clock: WallClock = .system) {
        self.client = client
        self.clock = clock
    }

    public static func connect(_ configuration: PostgresConfiguration, clock: WallClock = .system) async throws -> ProjectionRunner {
        ProjectionRunner(client: try await PostgresClient.connectForEventLog(configuration), clock: clock)
    }

    public func close() async { await client.close() }

    /// The runner's own connection (tests read through it).
    package var clientForTests: PostgresClient { client }

    /// Carries the cache into the connection's thread and back without copying it.
    final class CacheBox: @unchecked Sendable {
        var cache: Cache
        init(_ cache: Cache) { self.cache = cache }
        func take() -> Cache {
            defer { cache = Cache() }
            return cache
        }
    }

    /// Moves the cache out, leaving an empty one.
    func takeCache() -> Cache {
        cache.withLock { cache in
            defer { cache = Cache() }
            return cache
        }
    }
    func resetCache() { cache.withLock { $0 = Cache() } }
    func install(_ built: Cache) { cache.withLock { $0 = built } }

    /// A fault to inject in tests: fail after writing rows, before commit.
    package struct InjectedFailure: Error {}

    /// Applies one batch to the live tables. Returns how many events it applied (0: caught up).
    public func runBatch(limit: Int = 1000) async throws -> Int {
        try await runBatch(checkpointName: Self.projection, suffix: "", limit: limit)
    }

    /// A batch that fails after writing its rows, before commit (tests of atomicity).
    package func runFailingBatch(limit: Int = 1000) async throws -> Int {
        try await runBatch(checkpointName: Self.projection, suffix: "", limit: limit, failBeforeCommit: true)
    }

    func runBatch(checkpointName: String, suffix: String, limit: Int, failBeforeCommit: Bool = false) async throws -> Int {
        let outcome = try await runOneBatch(checkpointName: checkpointName, suffix: suffix, limit: limit, failBeforeCommit: failBeforeCommit)
        if outcome.policyChanged && suffix.isEmpty {
            // Policy governs every row: refresh them all, from the log.
            try await rebuild()
        }
        return outcome.applied
    }

    func runOneBatch(checkpointName: String, suffix: String, limit: Int, failBeforeCommit: Bool) async throws -> BatchOutcome {
        // The cache moves out of the lock and back, so the batch mutates the only reference
        // (a copy would duplicate every cached file on each batch).
        let box = CacheBox(takeCache())
        do {
            let today = clock.today
            let applied = try await client.withConnection { connection in
                try connection.transaction { connection in
                    try Self.batch(
                        connection, checkpointName: checkpointName, suffix: suffix, limit: limit, today: today, cache: &box.cache,
                        failBeforeCommit: failBeforeCommit)
                }
            }
            cache.withLock { $0 = box.take() }
            return applied
        } catch {
            // A failed batch may have folded events it never committed: start over.
            if let postgres = error as? PostgresError { throw postgres.eventLogError() }
            throw error
        }
    }

    /// Runs batches until caught up; `progress` sees the running total.
    @discardableResult
    public func runUntilCaughtUp(batch: Int = 1000, progress: (Int) -> Void = { _ in }) async throws -> Int {
        var total = 0
        while true {
            let applied = try await runBatch(limit: batch)
            total += applied
            if applied > 0 { progress(total) }
            if applied < batch { return total }
        }
    }

    static func batch(
        _ connection: PostgresConnection, checkpointName: String, suffix: String, limit: Int, today: Day, cache: inout Cache,
        failBeforeCommit: Bool
    ) throws -> BatchOutcome {
        try connection.query(
            """
            INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
            VALUES (\(checkpointName), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
            """)
        let (transaction, global, rowsPolicy) = try connection.query(
            """
            SELECT xact_id, global_position, policy_in_force FROM muster.projection_checkpoints
            WHERE projection = \(checkpointName) FOR UPDATE
            """
        ).decodeRow(0, as: PostgresTransactionID.self, Int64.self, String.self)
        let checkpoint = LogPosition(transaction: transaction.rawValue, global: global)
        if cache.checkpoint != checkpoint {
            cache = Cache(checkpoint: checkpoint, complete: checkpoint == .start)
            // A runner starting mid-log knows every policy adopted before its checkpoint: rows
            // are judged under the policy in force, whoever wrote them.
            if checkpoint != .start { try loadPolicies(upTo: checkpoint, into: &cache, on: connection) }
        }
        let events = try PostgresEventStore.readAll(after: checkpoint, limit: limit, on: connection)
        let policyNow = cache.policies.identity(on: today)
        guard let last = events.last else {
            // Nothing new, but another policy may have come into force since the rows were made.
            return BatchOutcome(applied: 0, policyChanged: checkpoint != .start && rowsPolicy != policyNow)
        }
        var touched: [StreamID] = []
        var seen = Set<StreamID>()
        // Decoding dominates; it is independent per event, so it runs in parallel first.
        let relevant = events.filter { Streams.category(of: $0.stream).map(Self.categories.contains) ?? false }
        let entries = EntryMapping.entries(relevant)
        for (event, entry) in zip(relevant, entries) {
            let isFile = Streams.category(of: event.stream) != .policy
            if isFile, cache.files[event.stream] == nil, !cache.complete {
                let earlier = try PostgresEventStore.readStream(event.stream, before: event.position, on: connection)
                cache.files[event.stream] = TrainingDecider.fold(earlier.map(EntryMapping.entry))
            }
            cache.apply(entry, to: event.stream)
            if isFile, seen.insert(event.stream).inserted { touched.append(event.stream) }
        }
        let policyAfter = cache.policies.identity(on: today)
        let policy = cache.policies.policy(on: today)
        // The rows keep the policy they were made under until a refresh has rebuilt them all
        // (a refresh killed part-way is run again): only a log read from its start sets it here.
        let rowsPolicyAfter = checkpoint == .start ? policyAfter : rowsPolicy
        try write(touched.map { ($0, cache.files[$0]!) }, policy: policy, suffix: suffix, on: connection)
        try insertQuarantine(cache.unreadablePolicies, suffix: suffix, on: connection)
        try connection.query(
            """
            UPDATE muster.projection_checkpoints
            SET xact_id = \(PostgresTransactionID(last.position.transaction)), global_position = \(last.position.global),
                policy_in_force = \(rowsPolicyAfter), updated_at = now()
            WHERE projection = \(checkpointName)
            """)
        if failBeforeCommit { throw InjectedFailure() }
        cache.checkpoint = last.position
        if !cache.complete && cache.files.count > 20_000 { cache.files.removeAll() }
        if cache.complete && cache.files.count > 500_000 {
            cache.files.removeAll()
            cache.complete = false
        }
        return BatchOutcome(applied: events.count, policyChanged: rowsPolicyAfter != policyAfter)
    }

    /// What one batch did: how many events it applied, and whether another policy came into
    /// force than the one the rows were computed under (every row must then be refreshed).
    struct BatchOutcome {
        var applied: Int
        var policyChanged: Bool
    }

    /// Every policy adoption before `position`.
    static func loadPolicies(upTo position: LogPosition, into cache: inout Cache, on connection: PostgresConnection) throws {
        var after = LogPosition.start
        while true {
            let page = try PostgresEventStore.readCategory(Streams.Category.policy.rawValue, after: after, limit: 1000, on: connection)
            for event in page where event.position <= position { PolicyDecider.evolve(&cache.policies, EntryMapping.entry(event)) }
            guard let last = page.last, page.count == 1000, last.position < position else { return }
            after = last.position
        }
    }

    /// An entry nobody can read, kept in `muster.projection_quarantine` until it is resolved.
    struct QuarantineRow: Sendable {
        var stream: String
        var entry: EntryID
        var unreadable: UnreadableEntry
    }

    /// Adds quarantine rows, keeping the time each was first seen.
    static func insertQuarantine(_ rows: [QuarantineRow], suffix: String, on connection: PostgresConnection) throws {
        guard suffix.isEmpty else { return }
        for row in rows {
            try connection.query(
                """
                INSERT INTO muster.projection_quarantine (stream_id, stream_version, event_id, event_type, reason)
                VALUES (\(row.stream), \(row.unreadable.version), \(row.entry.rawValue)::uuid, \(row.unreadable.storedType),
                        \(row.unreadable.reason))
                ON CONFLICT (stream_id, stream_version) DO NOTHING
                """)
        }
    }

    static func quarantineRows(_ files: some Sequence<(StreamID, PersonnelFile)>) -> [QuarantineRow] {
        files.flatMap { stream, file in
            file.unreadable.map { QuarantineRow(stream: stream.rawValue, entry: $0.key, unreadable: $0.value) }
        }
    }

    /// Rewrites the rows of the touched streams: one DELETE per table for all of them, then
    /// one COPY per table.
    static func write(_ files: [(StreamID, PersonnelFile)], policy: TrainingPolicy, suffix: String, on connection: PostgresConnection) throws {
        let streams = files.map(\.0.rawValue)
        let trainees = files.compactMap { Streams.trainee(of: $0.0)?.rawValue }
        for table in ["coursework_currency", "fto_qualification"] {
            try connection.query("DELETE FROM \(unsafeSQL: "muster.\(table)\(suffix)") WHERE person_stream = ANY(\(PostgresTextArray(streams)))")
        }
        if !trainees.isEmpty {
            for table in ["trainee_status", "category_trends"] {
                try connection.query("DELETE FROM \(unsafeSQL: "muster.\(table)\(suffix)") WHERE trainee_id = ANY(\(PostgresTextArray(trainees)))")
            }
        }
        try ReadModelCopy.copy([ReadModelCopy.encode(files, policy: policy)], suffix: suffix, on: connection)
        guard suffix.isEmpty else { return }
        // Their unreadable entries stay in quarantine (from when first seen) until resolved.
        let unreadable = quarantineRows(files)
        try connection.query(
            """
            DELETE FROM muster.projection_quarantine
            WHERE stream_id = ANY(\(PostgresTextArray(streams)))
              AND NOT event_id::text = ANY(\(PostgresTextArray(unreadable.map(\.entry.rawValue))))
            """)
        try insertQuarantine(unreadable, suffix: suffix, on: connection)
    }
}
