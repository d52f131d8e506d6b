import EventLog
import EventLogPostgres
public import Postgres

/// What command staff ask, answered from the read-model tables (never by replaying events).
/// Dates are compared with the database's `current_date`, so answers move with time.
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
        public var blockers: [String]
    }

    public struct ProjectionStatus: Sendable, Codable, Hashable {
        public var checkpoint: String
        public var behind: Int
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await client.withConnection(body)
        } catch let error as PostgresError {
            throw error.eventLogError()
        }
    }

    /// How many trainees are at each stage.
    public func pipeline() async throws -> [PipelineRow] {
        try await run { connection in
            let rows = try connection.query("SELECT stage, count(*) FROM muster.trainee_status GROUP BY stage ORDER BY stage", prepared: true)
            return try (0..<rows.count).map {
                PipelineRow(stage: try rows.decode(String.self, row: $0, column: 0), count: try rows.decode(Int.self, row: $0, column: 1))
            }
        }
    }

    /// Coursework overdue, never completed, or lapsing within `days`, and probation end dates
    /// within `days` (an extension must be recorded before them).
    public func expiring(withinDays days: Int, limit: Int = 1000) async throws -> [ExpiringRow] {
        try await run { connection in
            var result: [ExpiringRow] = []
            // Three index-ordered parts (overdue, never completed, expiring), each limited, so the
            // answer does not need a sort over every matching row. The text column is renamed:
            // named like the column, it would be what ORDER BY sorts, and no index sorts text.
            let courses = try connection.query(
                """
                (SELECT person_stream, person_name, course_type, expires_on::text AS due, expires_on - current_date
                 FROM muster.coursework_currency WHERE expires_on < current_date ORDER BY expires_on LIMIT \(limit))
                UNION ALL
                (SELECT person_stream, person_name, course_type, NULL, NULL
                 FROM muster.coursework_currency WHERE expires_on IS NULL LIMIT \(limit))
                UNION ALL
                (SELECT person_stream, person_name, course_type, expires_on::text AS due, expires_on - current_date
                 FROM muster.coursework_currency WHERE expires_on >= current_date AND expires_on <= current_date + \(Int32(days))
                 ORDER BY expires_on LIMIT \(limit))
                LIMIT \(limit)
                """, prepared: true)
            for row in 0..<courses.count {
                let left = try courses.decodeIfPresent(Int.self, row: row, column: 4)
                result.append(
                    ExpiringRow(
                        kind: "course", person: try courses.decode(String.self, row: row, column: 0),
                        name: try courses.decode(String.self, row: row, column: 1), item: try courses.decode(String.self, row: row, column: 2),
                        due: try courses.decodeIfPresent(String.self, row: row, column: 3), daysLeft: left,
                        status: left.map { $0 < 0 ? "overdue by \(-$0) days" : "expires in \($0) days" } ?? "never completed"))
            }
            let probation = try connection.query(
                """
                SELECT trainee_id, name, probation_end_on::text AS due, probation_end_on - current_date
                FROM muster.trainee_status
                WHERE probation_end_on IS NOT NULL AND probation_end_on <= current_date + \(Int32(days))
                ORDER BY probation_end_on
                LIMIT \(limit)
                """, prepared: true)
            for row in 0..<probation.count {
                let left = try probation.decode(Int.self, row: row, column: 3)
                result.append(
                    ExpiringRow(
                        kind: "probation", person: "trainee-" + (try probation.decode(String.self, row: row, column: 0)),
                        name: try probation.decode(String.self, row: row, column: 1), item: "probation end",
                        due: try probation.decode(String.self, row: row, column: 2), daysLeft: left,
                        status: left < 0 ? "ended \(-left) days ago without completion" : "ends in \(left) days: complete or extend before then"))
            }
            return result
        }
    }

    /// Trainees expected to reach solo patrol within `days`, with what still blocks them.
    public func readiness(withinDays days: Int, limit: Int = 1000) async throws -> [ReadinessRow] {
        try await run { connection in
            // Pick the board first (index on stage and expected date), then look up coursework for
            // just those rows.
            let rows = try connection.query(
                """
                WITH board AS (
                    SELECT trainee_id, name, badge, phase, expected_solo_on, failing_gates
                    FROM muster.trainee_status
                    WHERE stage = 'field_training' AND expected_solo_on <= current_date + \(Int32(days))
                    ORDER BY expected_solo_on, name
                    LIMIT \(limit))
                SELECT b.trainee_id, b.name, b.badge, b.phase, b.expected_solo_on::text, b.expected_solo_on - current_date,
                       array_to_string(b.failing_gates, E'\\n'),
                       (SELECT string_agg(c.course_type || CASE WHEN c.expires_on IS NULL THEN ' never completed'
                                                               ELSE ' lapses ' || c.expires_on::text END, E'\\n')
                        FROM muster.coursework_currency c
                        WHERE c.person_stream = 'trainee-' || b.trainee_id
                          AND (c.expires_on IS NULL OR c.expires_on <= b.expected_solo_on))
                FROM board AS b
                ORDER BY b.expected_solo_on, b.name
                """, prepared: true)
            return try (0..<rows.count).map { row in
                let gates = (try rows.decodeIfPresent(String.self, row: row, column: 6) ?? "").split(separator: "\n").map(String.init)
                let courses = (try rows.decodeIfPresent(String.self, row: row, column: 7) ?? "").split(separator: "\n").map { "coursework: \($0)" }
                return ReadinessRow(
                    trainee: try rows.decode(String.self, row: row, column: 0), name: try rows.decode(String.self, row: row, column: 1),
                    badge: try rows.decode(String.self, row: row, column: 2), phase: try rows.decodeIfPresent(Int.self, row: row, column: 3),
                    expectedSolo: try rows.decode(String.self, row: row, column: 4), daysAway: try rows.decode(Int.self, row: row, column: 5),
                    blockers: gates + courses)
            }
        }
    }

    /// The runner's checkpoint and how many events it has not applied yet.
    public func projectionStatus() async throws -> ProjectionStatus {
        try await run { connection in
            let rows = try connection.query(
                """
                SELECT coalesce((SELECT xact_id::text || '/' || global_position FROM muster.projection_checkpoints WHERE projection = 'training'), 'none'),
                       (SELECT count(*) FROM muster.events e
                        WHERE (e.xact_id, e.global_position) > coalesce(
                            (SELECT (c.xact_id, c.global_position) FROM muster.projection_checkpoints c WHERE c.projection = 'training'),
                            ('0'::xid8, 0::bigint)))
                """)
            return ProjectionStatus(checkpoint: try rows.decode(String.self, row: 0, column: 0), behind: try rows.decode(Int.self, row: 0, column: 1))
        }
    }
}
