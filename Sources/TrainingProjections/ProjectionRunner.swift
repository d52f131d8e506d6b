import EventLog
import EventLogPostgres
import Foundation
public import Postgres
import Synchronization
import TrainingDomain

/// Keeps the read models (`muster.trainee_status`, `muster.coursework_currency`) in step with
/// the log.
///
/// Each batch runs in one transaction: lock the checkpoint row, read the events after it (below
/// the safe horizon, so none is skipped), fold each touched stream with the domain's own
/// `evolve`, rewrite that stream's rows, move the checkpoint, commit. Killed anywhere, nothing
/// is committed half-way: the next run starts from the last committed checkpoint. The folded
/// files are cached between batches; the cache is dropped whenever a batch fails or the
/// checkpoint moved under it (a rebuild swapped tables), so nothing is applied twice.
public final class ProjectionRunner: Sendable {
    public static let projection = "training"
    static let tables = ["trainee_status", "coursework_currency"]
    /// The stream categories the read models are made from.
    static let categories = ["trainee", "officer", "policy"]

    let client: PostgresClient
    private let cache = Mutex(Cache())

    struct Cache: Sendable {
        var checkpoint: LogPosition?
        var files: [StreamID: PersonnelFile] = [:]
        var policies = PolicyBook.default
        /// Built from the start of the log without evicting anything: a stream missing from the
        /// cache has no earlier events (a rebuild never has to load one).
        var complete = false

        /// Folds one entry into its stream's file, in place (a copy would duplicate the
        /// file's arrays on every event).
        mutating func apply(_ entry: Entry, to stream: StreamID) {
            if stream.category == "policy" {
                if case .trainingPolicyAdopted(let adopted) = entry.event { policies.adopt(adopted.policy, effective: adopted.effective) }
                return
            }
            TrainingDecider.evolve(&files[stream, default: PersonnelFile()], entry)
        }
    }

    public init(client: PostgresClient) {
        self.client = client
    }

    public static func connect(_ configuration: PostgresConfiguration) async throws -> ProjectionRunner {
        do {
            return ProjectionRunner(client: try await PostgresClient.connect(configuration))
        } catch let error as PostgresError {
            throw error.eventLogError()
        }
    }

    public func close() async { await client.close() }

    /// The runner's own connection (tests read through it).
    public var clientForTests: PostgresClient { client }

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
    public struct InjectedFailure: Error {}

    /// Applies one batch to the live tables. Returns how many events it applied (0: caught up).
    public func runBatch(limit: Int = 1000, failBeforeCommit: Bool = false) async throws -> Int {
        try await runBatch(checkpointName: Self.projection, suffix: "", limit: limit, failBeforeCommit: failBeforeCommit)
    }

    func runBatch(checkpointName: String, suffix: String, limit: Int, failBeforeCommit: Bool = false) async throws -> Int {
        // The cache moves out of the lock and back, so the batch mutates the only reference
        // (a copy would duplicate every cached file on each batch).
        let box = CacheBox(takeCache())
        do {
            let applied = try await client.withConnection { connection in
                try connection.transaction { connection in
                    try Self.batch(connection, checkpointName: checkpointName, suffix: suffix, limit: limit, cache: &box.cache, failBeforeCommit: failBeforeCommit)
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
        _ connection: PostgresConnection, checkpointName: String, suffix: String, limit: Int, cache: inout Cache, failBeforeCommit: Bool
    ) throws -> Int {
        try connection.query(
            """
            INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
            VALUES (\(checkpointName), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
            """)
        let row = try connection.query(
            "SELECT xact_id, global_position FROM muster.projection_checkpoints WHERE projection = \(checkpointName) FOR UPDATE")
        let checkpoint = LogPosition(
            transaction: try row.decode(PostgresTransactionID.self, row: 0, column: 0).rawValue, global: try row.decode(Int64.self, row: 0, column: 1))
        if cache.checkpoint != checkpoint { cache = Cache(checkpoint: checkpoint, complete: checkpoint == .start) }
        let events = try PostgresEventStore.readAll(after: checkpoint, limit: limit, on: connection)
        guard let last = events.last else { return 0 }
        var touched: [StreamID] = []
        var seen = Set<StreamID>()
        // Decoding dominates; it is independent per event, so it runs in parallel first.
        let relevant = events.filter { Self.categories.contains($0.stream.category) }
        let entries = try EntryMapping.entries(relevant)
        for (event, entry) in zip(relevant, entries) {
            if event.stream.category != "policy", cache.files[event.stream] == nil, !cache.complete {
                let earlier = try PostgresEventStore.readStream(event.stream, before: event.position, on: connection)
                cache.files[event.stream] = TrainingDecider.fold(try earlier.map(EntryMapping.entry))
            }
            cache.apply(entry, to: event.stream)
            if event.stream.category != "policy", seen.insert(event.stream).inserted { touched.append(event.stream) }
        }
        let policy = cache.policies.policy(on: Day(daysSince1970: Int(Date().timeIntervalSince1970 / 86_400)))
        try write(touched.map { ($0, cache.files[$0]!) }, policy: policy, suffix: suffix, on: connection)
        try connection.query(
            """
            UPDATE muster.projection_checkpoints
            SET xact_id = \(PostgresTransactionID(last.position.transaction)), global_position = \(last.position.global), updated_at = now()
            WHERE projection = \(checkpointName)
            """)
        if failBeforeCommit { throw InjectedFailure() }
        cache.checkpoint = last.position
        if !cache.complete && cache.files.count > 20_000 { cache.files.removeAll() }
        if cache.complete && cache.files.count > 500_000 {
            cache.files.removeAll()
            cache.complete = false
        }
        return events.count
    }

    /// Rewrites the rows of the touched streams: one DELETE per table for all of them, then
    /// multi-row INSERTs.
    static func write(_ files: [(StreamID, PersonnelFile)], policy: TrainingPolicy, suffix: String, on connection: PostgresConnection) throws {
        let statusTable = "muster.trainee_status\(suffix)"
        let courseTable = "muster.coursework_currency\(suffix)"
        let streams = files.map(\.0.rawValue)
        let trainees = files.filter { $0.0.category == "trainee" }.map { String($0.0.rawValue.dropFirst("trainee-".count)) }
        try connection.query("DELETE FROM \(unsafeSQL: courseTable) WHERE person_stream = ANY(\(PostgresTextArray(streams)))")
        if !trainees.isEmpty {
            try connection.query("DELETE FROM \(unsafeSQL: statusTable) WHERE trainee_id = ANY(\(PostgresTextArray(trainees)))")
        }
        let courseRows = files.flatMap { ReadModelRows.coursework($0.1, stream: $0.0.rawValue, policy: policy) }
        for chunk in stride(from: 0, to: courseRows.count, by: 500).map({ courseRows[$0..<min($0 + 500, courseRows.count)] }) {
            var bindings = PostgresBindings()
            var values: [String] = []
            for row in chunk {
                let first = bindings.count + 1
                bindings.append(row.personStream)
                bindings.append(row.personName)
                bindings.append(row.courseType)
                bindings.append(row.completions)
                if let day = row.lastCompletedOn?.description { bindings.append(day) } else { bindings.appendNull() }
                if let day = row.expiresOn?.description { bindings.append(day) } else { bindings.appendNull() }
                bindings.append(row.warningDays)
                values.append("($\(first), $\(first + 1), $\(first + 2), $\(first + 3), $\(first + 4)::date, $\(first + 5)::date, $\(first + 6))")
            }
            try connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(courseTable) (person_stream, person_name, course_type, completions, last_completed_on, expires_on, warning_days) VALUES "
                        + values.joined(separator: ", "), bindings: bindings))
        }
        // Keyed by the stream: the record's identity (a payload's id is only what was typed).
        let statusRows = files.filter { $0.0.category == "trainee" }.compactMap { stream, file -> TraineeStatusRow? in
            guard var row = ReadModelRows.traineeStatus(file, policy: policy) else { return nil }
            row.traineeID = String(stream.rawValue.dropFirst("trainee-".count))
            return row
        }
        for chunk in stride(from: 0, to: statusRows.count, by: 200).map({ statusRows[$0..<min($0 + 200, statusRows.count)] }) {
            var bindings = PostgresBindings()
            var values: [String] = []
            for row in chunk {
                let first = bindings.count + 1
                func optional(_ text: String?) { if let text { bindings.append(text) } else { bindings.appendNull() } }
                bindings.append(row.traineeID)
                bindings.append(row.agency)
                bindings.append(row.name)
                bindings.append(row.badge)
                bindings.append(row.stage)
                bindings.append(row.hiredOn.description)
                optional(row.academyClass)
                if let phase = row.phase { bindings.append(phase) } else { bindings.appendNull() }
                optional(row.phaseStartedOn?.description)
                optional(row.phaseMinimumEndOn?.description)
                bindings.append(PostgresTextArray(row.ftos))
                optional(row.lastDOROn?.description)
                bindings.append(row.dorCount)
                bindings.append(row.openRemedial)
                optional(row.openRemedialDetail)
                optional(row.earliestRemedialDueOn?.description)
                bindings.append(PostgresTextArray(row.failingGates))
                optional(row.expectedSoloOn?.description)
                optional(row.soloClearedOn?.description)
                optional(row.probationEndOn?.description)
                optional(row.separatedKind)
                let p = (first..<(first + 21)).map { "$\($0)" }
                values.append(
                    "(\(p[0]), \(p[1]), \(p[2]), \(p[3]), \(p[4]), \(p[5])::date, \(p[6]), \(p[7])::int, \(p[8])::date, \(p[9])::date, \(p[10]), "
                        + "\(p[11])::date, \(p[12]), \(p[13]), \(p[14]), \(p[15])::date, \(p[16]), \(p[17])::date, \(p[18])::date, \(p[19])::date, \(p[20]))")
            }
            try connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(statusTable) (trainee_id, agency, name, badge, stage, hired_on, academy_class, phase, phase_started_on,
                            phase_minimum_end_on, ftos, last_dor_on, dor_count, open_remedial, open_remedial_detail, earliest_remedial_due_on,
                            failing_gates, expected_solo_on, solo_cleared_on, probation_end_on, separated_kind) VALUES
                        """ + values.joined(separator: ", "), bindings: bindings))
        }
    }
}
