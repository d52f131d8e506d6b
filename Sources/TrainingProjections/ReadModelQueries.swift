public import EventLog
import EventLogPostgres
public import Foundation
public import Postgres
import TrainingDomain
import TrainingRecords

/// What command staff ask, answered from the read-model tables (never by replaying events).
/// Dates are compared with the database's `current_date`, so answers move with time. Every list
/// orders its ties by a stable key, so the same log always gives the same answer.
public struct ReadModelQueries: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    public struct PipelineRow: Sendable, Codable, Hashable {
        public var stage: String
        public var count: Int
    }

    public struct ExpiringRow: Sendable, Codable, Hashable {
        /// `course`, `fto_update` or `probation`.
        public var kind: String
        /// `trainee-<id>` or `officer-<id>`.
        public var person: String
        public var name: String
        /// The course type, `fto_update`, or `probation end`.
        public var item: String
        public var due: String?
        /// Days until due (negative: overdue); nil when never completed.
        public var daysLeft: Int?
        public var status: String
    }

    public struct ReadinessRow: Sendable, Codable, Hashable {
        public var trainee: String
        public var name: String
        public var badge: String
        public var phase: Int?
        public var expectedSolo: String
        public var daysAway: Int
        /// The solo gates failing today, as `status` and a refusal name them.
        public var blockers: [String]
        /// Entries on the file nobody can read (an operator must decide on them).
        public var attention: [String]
    }

    public struct ProjectionStatus: Sendable, Codable, Hashable {
        public var checkpoint: String
        /// Events committed after the checkpoint (some may still be above the safe horizon).
        public var behind: Int
        /// Entries nobody can read, awaiting an operator's decision.
        public var quarantined: [QuarantinedEntry]
        /// When events are pending but held back by the safe horizon: the transaction holding it.
        public var horizonHeldBy: HorizonHolder?
    }

    public struct QuarantinedEntry: Sendable, Codable, Hashable {
        public var stream: String
        public var version: Int
        public var type: String
        public var reason: String
        public var firstSeen: Date
    }

    /// A transaction still running that every reader waits for (readers never skip an event, so
    /// nothing after its start is read until it ends).
    public struct HorizonHolder: Sendable, Codable, Hashable {
        public var pid: Int
        public var ageSeconds: Int
        public var application: String
        public var user: String
        public var state: String
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withEventLogErrors { try await client.withConnectionRetryingOnce(body) }
    }

    /// How many trainees are at each stage.
    public func pipeline() async throws -> [PipelineRow] {
        try await run { connection in
            // Counted as trainee_status changes (muster.stage_counts), per agency: a few rows.
            try connection.query(
                "SELECT stage, sum(trainees)::bigint FROM muster.stage_counts WHERE trainees > 0 GROUP BY stage ORDER BY stage", prepared: true
            )
            .decodeAll(as: String.self, Int.self).map { PipelineRow(stage: $0, count: $1) }
        }
    }

    /// Everything that lapses within `days` or already has, most urgent first (by due date,
    /// never-completed coursework first, then kind, person and item):
    /// - `course`: required coursework never completed, lapsed, or lapsing (academy recruits
    ///   for the courses policy requires during the academy);
    /// - `fto_update`: each FTO's next 24-hour update (a lapsed FTO may not rate);
    /// - `probation`: probation end dates (an extension must be recorded before them).
    public func expiring(withinDays days: Int, limit: Int = 1000) async throws -> [ExpiringRow] {
        let trainee = Streams.Category.trainee.prefix
        return try await run { connection in
            // Each part is read from its index in the final order and limited, so the answer
            // never sorts more than a few limits' worth of rows.
            try connection.query(
                """
                SELECT kind, person, name, item, due, due - current_date FROM (
                    (SELECT 'course' AS kind, person_stream AS person, person_name AS name, course_type AS item, expires_on AS due
                     FROM muster.coursework_currency WHERE expires_on IS NULL
                     ORDER BY expires_on, person_stream, course_type LIMIT \(limit))
                    UNION ALL
                    (SELECT 'course', person_stream, person_name, course_type, expires_on
                     FROM muster.coursework_currency WHERE expires_on <= current_date + \(Int32(days))
                     ORDER BY expires_on, person_stream, course_type LIMIT \(limit))
                    UNION ALL
                    (SELECT 'fto_update', person_stream, person_name, 'fto_update', update_due_on
                     FROM muster.fto_qualification WHERE update_due_on <= current_date + \(Int32(days))
                     ORDER BY update_due_on, person_stream LIMIT \(limit))
                    UNION ALL
                    (SELECT 'probation', \(trainee) || trainee_id, name, 'probation end', probation_end_on
                     FROM muster.trainee_status WHERE probation_end_on <= current_date + \(Int32(days))
                     ORDER BY probation_end_on, trainee_id LIMIT \(limit))
                ) AS expiring
                ORDER BY due NULLS FIRST, kind, person, item
                LIMIT \(limit)
                """, prepared: true
            ).decodeAll(as: String.self, String.self, String.self, String.self, Day?.self, Int?.self).map { kind, person, name, item, due, left in
                ExpiringRow(
                    kind: kind, person: person, name: name, item: item, due: due?.description, daysLeft: left,
                    status: Self.expiringStatus(kind, due: due, daysLeft: left))
            }
        }
    }

    /// What an expiring row says: a date in the past has lapsed (or ended), one ahead lapses.
    static func expiringStatus(_ kind: String, due: Day?, daysLeft: Int?) -> String {
        guard let due, let left = daysLeft else { return "never completed" }
        switch kind {
        case "probation":
            return left < 0 ? "ended \(due) (\(-left) days ago) without completion" : "ends \(due) (in \(left) days): complete or extend before then"
        case "fto_update":
            return left < 0
                ? "lapsed \(due) (overdue by \(-left) days): may not rate until the 24-hour update is recorded"
                : "24-hour update due \(due) (in \(left) days)"
        default:
            return left < 0 ? "lapsed \(due) (overdue by \(-left) days)" : left == 0 ? "expires today" : "expires in \(left) days"
        }
    }

    /// Trainees expected to reach solo patrol within `days`, with the gates that block them today.
    public func readiness(withinDays days: Int, limit: Int = 1000) async throws -> [ReadinessRow] {
        try await run { connection in
            // The expected date is never before its earliest bound nor today plus the lead days:
            // both bounds are index conditions (schema/0011), and the rows are chosen from
            // index entries alone, then read. Planned once per connection: the plan PostgreSQL
            // would otherwise make afresh for each call's values cost ten times the query.
            try Self.withGenericPlan(connection) { connection in
                try connection.query(
                    """
                    SELECT s.trainee_id, s.name, s.badge, s.phase, chosen.expected, chosen.expected - current_date,
                           muster.failing_gates(s.solo_gates, s.solo_gates_fail_from, s.solo_gates_fail_until, current_date), s.attention
                    FROM (SELECT trainee_id, name, expected
                          FROM (SELECT trainee_id, name,
                                       muster.expected_on(expected_solo_earliest_on, expected_solo_lead_days, current_date) AS expected
                                FROM muster.trainee_status
                                WHERE stage = 'field_training' AND expected_solo_lead_days <= \(Int32(days))
                                      AND expected_solo_earliest_on <= current_date + \(Int32(days))) AS t
                          WHERE expected <= current_date + \(Int32(days))
                          ORDER BY expected, name, trainee_id
                          LIMIT \(limit)) AS chosen
                    JOIN muster.trainee_status AS s USING (trainee_id)
                    ORDER BY chosen.expected, chosen.name, chosen.trainee_id
                    """, prepared: true
                ).decodeAll(
                    as: String.self, String.self, String.self, Int?.self, Day.self, Int.self, PostgresTextArray.self, PostgresTextArray.self
                ).map {
                    ReadinessRow(
                        trainee: $0, name: $1, badge: $2, phase: $3, expectedSolo: $4.description, daysAway: $5, blockers: $6.elements,
                        attention: $7.elements)
                }
            }
        }
    }

    /// Runs `body` in a read-only transaction whose prepared statements use their generic plan:
    /// for a board query that PostgreSQL would otherwise plan again on every call, because its
    /// estimate for unknown parameter values is poor while the plan it makes for known ones is
    /// the same every time.
    static func withGenericPlan<T>(_ connection: PostgresConnection, _ body: (PostgresConnection) throws -> T) throws -> T {
        try connection.transaction(readOnly: true) { connection in
            try connection.simpleQuery("SET LOCAL plan_cache_mode = force_generic_plan")
            return try body(connection)
        }
    }

    /// Where the runner stands in the log (the start when it has not run).
    public func checkpoint() async throws -> LogPosition {
        try await run { connection in
            try connection.query(
                "SELECT xact_id, global_position FROM muster.projection_checkpoints WHERE projection = \(ProjectionRunner.projection)"
            ).decodeAll(as: PostgresTransactionID.self, Int64.self).first.map { LogPosition(transaction: $0.rawValue, global: $1) } ?? .start
        }
    }

    /// The runner's checkpoint and how many events it has not applied yet.
    public func projectionStatus() async throws -> ProjectionStatus {
        try await run { connection in
            let checkpoint = try connection.query(
                "SELECT xact_id, global_position FROM muster.projection_checkpoints WHERE projection = \(ProjectionRunner.projection)"
            ).decodeAll(as: PostgresTransactionID.self, Int64.self).first.map { LogPosition(transaction: $0.rawValue, global: $1) }
            let behind = try PostgresEventStore.countEvents(after: checkpoint ?? .start, on: connection)
            let quarantined = try connection.query(
                """
                SELECT stream_id, stream_version, event_type, reason, first_seen_at FROM muster.projection_quarantine
                ORDER BY first_seen_at, stream_id, stream_version LIMIT 100
                """
            ).decodeAll(as: String.self, Int.self, String.self, String.self, Date.self).map {
                QuarantinedEntry(stream: $0, version: $1, type: $2, reason: $3, firstSeen: $4)
            }
            return ProjectionStatus(
                checkpoint: checkpoint?.description ?? "none", behind: behind, quarantined: quarantined,
                horizonHeldBy: behind > 0 ? try PostgresEventStore.horizonHolder(on: connection).map(HorizonHolder.init) : nil)
        }
    }
}
