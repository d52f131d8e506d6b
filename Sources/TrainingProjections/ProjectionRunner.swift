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

    let client: PostgresClient
    private let cache = Mutex(Cache())

    struct Cache: Sendable {
        var checkpoint: LogPosition?
        var files: [StreamID: PersonnelFile] = [:]
        var policies = PolicyBook.default
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

    func cacheSnapshot() -> Cache { cache.withLock { $0 } }
    func resetCache() { cache.withLock { $0 = Cache() } }

    /// A fault to inject in tests: fail after writing rows, before commit.
    public struct InjectedFailure: Error {}

    /// Applies one batch to the live tables. Returns how many events it applied (0: caught up).
    public func runBatch(limit: Int = 1000, failBeforeCommit: Bool = false) async throws -> Int {
        try await runBatch(checkpointName: Self.projection, suffix: "", limit: limit, failBeforeCommit: failBeforeCommit)
    }

    func runBatch(checkpointName: String, suffix: String, limit: Int, failBeforeCommit: Bool = false) async throws -> Int {
        let start = cache.withLock { $0 }
        do {
            let (applied, updated) = try await client.withConnection { connection in
                try connection.transaction { connection in
                    try Self.batch(connection, checkpointName: checkpointName, suffix: suffix, limit: limit, cache: start, failBeforeCommit: failBeforeCommit)
                }
            }
            cache.withLock { $0 = updated }
            return applied
        } catch {
            cache.withLock { $0 = Cache() }
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
        _ connection: PostgresConnection, checkpointName: String, suffix: String, limit: Int, cache: Cache, failBeforeCommit: Bool
    ) throws -> (Int, Cache) {
        try connection.query(
            """
            INSERT INTO muster.projection_checkpoints (projection, xact_id, global_position)
            VALUES (\(checkpointName), '0'::xid8, 0) ON CONFLICT (projection) DO NOTHING
            """)
        let row = try connection.query(
            "SELECT xact_id, global_position FROM muster.projection_checkpoints WHERE projection = \(checkpointName) FOR UPDATE")
        let checkpoint = LogPosition(
            transaction: try row.decode(PostgresTransactionID.self, row: 0, column: 0).rawValue, global: try row.decode(Int64.self, row: 0, column: 1))
        var cache = cache
        if cache.checkpoint != checkpoint { cache = Cache(checkpoint: checkpoint) }
        let events = try PostgresEventStore.readAll(after: checkpoint, limit: limit, on: connection)
        guard let last = events.last else { return (0, cache) }
        var touched: [StreamID] = []
        for event in events {
            let category = event.stream.category
            if category == "policy" {
                if case .trainingPolicyAdopted(let adopted) = try EntryMapping.entry(event).event {
                    cache.policies.adopt(adopted.policy, effective: adopted.effective)
                }
                continue
            }
            guard category == "trainee" || category == "officer" else { continue }
            var file: PersonnelFile
            if let cached = cache.files[event.stream] {
                file = cached
            } else {
                let earlier = try PostgresEventStore.readStream(event.stream, before: event.position, on: connection)
                file = TrainingDecider.fold(try earlier.map(EntryMapping.entry))
            }
            TrainingDecider.evolve(&file, try EntryMapping.entry(event))
            cache.files[event.stream] = file
            if !touched.contains(event.stream) { touched.append(event.stream) }
        }
        let policy = cache.policies.policy(on: Day(daysSince1970: Int(Date().timeIntervalSince1970 / 86_400)))
        for stream in touched {
            try write(cache.files[stream]!, stream: stream, policy: policy, suffix: suffix, on: connection)
        }
        try connection.query(
            """
            UPDATE muster.projection_checkpoints
            SET xact_id = \(PostgresTransactionID(last.position.transaction)), global_position = \(last.position.global), updated_at = now()
            WHERE projection = \(checkpointName)
            """)
        if failBeforeCommit { throw InjectedFailure() }
        cache.checkpoint = last.position
        if cache.files.count > 20_000 { cache.files.removeAll() }
        return (events.count, cache)
    }

    /// Rewrites one stream's rows.
    static func write(_ file: PersonnelFile, stream: StreamID, policy: TrainingPolicy, suffix: String, on connection: PostgresConnection) throws {
        let statusTable = "muster.trainee_status\(suffix)"
        let courseTable = "muster.coursework_currency\(suffix)"
        try connection.query("DELETE FROM \(unsafeSQL: courseTable) WHERE person_stream = \(stream.rawValue)", prepared: true)
        for row in ReadModelRows.coursework(file, stream: stream.rawValue, policy: policy) {
            try connection.query(
                """
                INSERT INTO \(unsafeSQL: courseTable)
                    (person_stream, person_name, course_type, completions, last_completed_on, expires_on, warning_days)
                VALUES (\(row.personStream), \(row.personName), \(row.courseType), \(row.completions),
                        \(row.lastCompletedOn?.description)::date, \(row.expiresOn?.description)::date, \(row.warningDays))
                """, prepared: true)
        }
        guard stream.category == "trainee" else { return }
        guard let row = ReadModelRows.traineeStatus(file, policy: policy) else {
            try connection.query("DELETE FROM \(unsafeSQL: statusTable) WHERE trainee_id = \(String(stream.rawValue.dropFirst("trainee-".count)))", prepared: true)
            return
        }
        try connection.query(
            """
            INSERT INTO \(unsafeSQL: statusTable) (trainee_id, agency, name, badge, stage, hired_on, academy_class, phase, phase_started_on,
                phase_minimum_end_on, ftos, last_dor_on, dor_count, open_remedial, open_remedial_detail, earliest_remedial_due_on, failing_gates, expected_solo_on,
                solo_cleared_on, probation_end_on, separated_kind)
            VALUES (\(row.traineeID), \(row.agency), \(row.name), \(row.badge), \(row.stage), \(row.hiredOn.description)::date,
                    \(row.academyClass), \(row.phase.map(Int64.init)), \(row.phaseStartedOn?.description)::date,
                    \(row.phaseMinimumEndOn?.description)::date, \(PostgresTextArray(row.ftos)), \(row.lastDOROn?.description)::date,
                    \(row.dorCount), \(row.openRemedial), \(row.openRemedialDetail), \(row.earliestRemedialDueOn?.description)::date,
                    \(PostgresTextArray(row.failingGates)),
                    \(row.expectedSoloOn?.description)::date, \(row.soloClearedOn?.description)::date,
                    \(row.probationEndOn?.description)::date, \(row.separatedKind))
            ON CONFLICT (trainee_id) DO UPDATE SET
                agency = EXCLUDED.agency, name = EXCLUDED.name, badge = EXCLUDED.badge, stage = EXCLUDED.stage,
                hired_on = EXCLUDED.hired_on, academy_class = EXCLUDED.academy_class, phase = EXCLUDED.phase,
                phase_started_on = EXCLUDED.phase_started_on, phase_minimum_end_on = EXCLUDED.phase_minimum_end_on,
                ftos = EXCLUDED.ftos, last_dor_on = EXCLUDED.last_dor_on, dor_count = EXCLUDED.dor_count,
                open_remedial = EXCLUDED.open_remedial, open_remedial_detail = EXCLUDED.open_remedial_detail,
                earliest_remedial_due_on = EXCLUDED.earliest_remedial_due_on,
                failing_gates = EXCLUDED.failing_gates, expected_solo_on = EXCLUDED.expected_solo_on,
                solo_cleared_on = EXCLUDED.solo_cleared_on, probation_end_on = EXCLUDED.probation_end_on,
                separated_kind = EXCLUDED.separated_kind
            """, prepared: true)
    }
}
