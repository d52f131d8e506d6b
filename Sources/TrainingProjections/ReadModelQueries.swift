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
        public var kind: String
        public var person: String
        public var name: String
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
            try connection.query("SELECT stage, count(*) FROM muster.trainee_status GROUP BY stage ORDER BY stage", prepared: true)
                .decodeAll(as: String.self, Int.self).map { PipelineRow(stage: $0, count: $1) }
        }
    }

    /// Coursework overdue, never completed, or lapsing within `days`, and probation end dates
    /// within `days` (an extension must be recorded before them).
    public func expiring(withinDays days: Int, limit: Int = 1000) async throws -> [ExpiringRow] {
        try await run { connection in
            // Three index-ordered parts (overdue, never completed, expiring), each limited, so the
            // answer does not need a sort over every matching row.
            let courses = try connection.query(
                """
                (SELECT person_stream, person_name, course_type, expires_on, expires_on - current_date
                 FROM muster.coursework_currency WHERE expires_on < current_date
                 ORDER BY expires_on, person_stream, course_type LIMIT \(limit))
                UNION ALL
                (SELECT person_stream, person_name, course_type, NULL, NULL
                 FROM muster.coursework_currency WHERE expires_on IS NULL
                 ORDER BY person_stream, course_type LIMIT \(limit))
                UNION ALL
                (SELECT person_stream, person_name, course_type, expires_on, expires_on - current_date
                 FROM muster.coursework_currency WHERE expires_on >= current_date AND expires_on <= current_date + \(Int32(days))
                 ORDER BY expires_on, person_stream, course_type LIMIT \(limit))
                LIMIT \(limit)
                """, prepared: true
            ).decodeAll(as: String.self, String.self, String.self, Day?.self, Int?.self)
            var result = courses.map { person, name, item, due, left in
                ExpiringRow(
                    kind: "course", person: person, name: name, item: item, due: due?.description, daysLeft: left,
                    status: left.map { $0 < 0 ? "overdue by \(-$0) days" : "expires in \($0) days" } ?? "never completed")
            }
            let probation = try connection.query(
                """
                SELECT trainee_id, name, probation_end_on, probation_end_on - current_date
                FROM muster.trainee_status
                WHERE probation_end_on IS NOT NULL AND probation_end_on <= current_date + \(Int32(days))
                ORDER BY probation_end_on, trainee_id
                LIMIT \(limit)
                """, prepared: true
            ).decodeAll(as: String.self, String.self, Day.self, Int.self)
            for (trainee, name, due, left) in probation {
                result.append(
                    ExpiringRow(
                        kind: "probation", person: Streams.Category.trainee.prefix + trainee, name: name, item: "probation end",
                        due: due.description, daysLeft: left,
                        status: left < 0 ? "ended \(-left) days ago without completion" : "ends in \(left) days: complete or extend before then"))
            }
            return result
        }
    }

    /// Trainees expected to reach solo patrol within `days`, with the gates that block them today.
    public func readiness(withinDays days: Int, limit: Int = 1000) async throws -> [ReadinessRow] {
        try await run { connection in
            // The expected date is never before its earliest bound, which the index serves.
            try connection.query(
                """
                SELECT trainee_id, name, badge, phase, expected, expected - current_date,
                       muster.failing_gates(solo_gates, solo_gates_fail_from, solo_gates_fail_until, current_date), attention
                FROM (SELECT *, muster.expected_on(expected_solo_earliest_on, expected_solo_lead_days, current_date) AS expected
                      FROM muster.trainee_status
                      WHERE stage = 'field_training' AND expected_solo_earliest_on <= current_date + \(Int32(days))) AS t
                WHERE expected <= current_date + \(Int32(days))
                ORDER BY expected, name, trainee_id
                LIMIT \(limit)
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
