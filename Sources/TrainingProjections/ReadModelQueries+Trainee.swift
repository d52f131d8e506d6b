import Postgres
import TrainingDomain
import TrainingRecords

extension ReadModelQueries {
    /// One trainee's row from the read models, with their coursework.
    public struct TraineeView: Sendable, Codable, Hashable {
        public struct Course: Sendable, Codable, Hashable {
            public var type: String
            public var lastCompleted: String?
            public var expires: String?
            public var status: String
        }
        public var trainee: String
        public var name: String
        public var badge: String
        public var stage: String
        public var hiredOn: String
        public var academyClass: String?
        public var phase: Int?
        public var daysInPhase: Int?
        public var ftos: [String]
        public var lastDOR: String?
        public var dorCount: Int
        public var openRemedial: String?
        /// The solo gates failing today.
        public var blockers: [String]
        public var expectedSolo: String?
        public var soloCleared: String?
        public var probationEnd: String?
        public var coursework: [Course]
        /// Events the read models have not applied yet (0: up to date).
        public var behind: Int
        /// Entries on the file nobody can read (an operator must decide on them).
        public var attention: [String]
    }

    public func trainee(_ id: String) async throws -> TraineeView? {
        let lag = try await projectionStatus().behind
        return try await run { connection in
            let rows = try connection.query(
                """
                SELECT trainee_id, name, badge, stage, hired_on, academy_class, phase, current_date - phase_started_on, ftos,
                       last_dor_on, dor_count, open_remedial_detail,
                       muster.failing_gates(solo_gates, solo_gates_fail_from, solo_gates_fail_until, current_date),
                       muster.expected_on(expected_solo_earliest_on, expected_solo_lead_days, current_date),
                       solo_cleared_on, probation_end_on, attention
                FROM muster.trainee_status WHERE trainee_id = \(id)
                """, prepared: true
            ).decodeAll(
                as: String.self, String.self, String.self, String.self, Day.self, String?.self, Int?.self, Int?.self, PostgresTextArray.self,
                Day?.self, Int.self, String?.self, PostgresTextArray.self, Day?.self, Day?.self, Day?.self, PostgresTextArray.self)
            guard let row = rows.first else { return nil }
            let courses = try connection.query(
                """
                SELECT course_type, last_completed_on, expires_on, expires_on - current_date, warning_days
                FROM muster.coursework_currency WHERE person_stream = \(Streams.Category.trainee.prefix + id) ORDER BY course_type
                """, prepared: true
            ).decodeAll(as: String.self, Day?.self, Day?.self, Int?.self, Int.self)
            let coursework = courses.map { type, last, expires, left, warning in
                let status =
                    switch (expires, left) {
                    case (let expires?, let left?) where left < 0: "overdue since \(expires)"
                    case (_, let left?) where left <= warning: "expiring in \(left) days"
                    case (_, .some): "current"
                    default: "never completed"
                    }
                return TraineeView.Course(type: type, lastCompleted: last?.description, expires: expires?.description, status: status)
            }
            return TraineeView(
                trainee: row.0, name: row.1, badge: row.2, stage: row.3, hiredOn: row.4.description, academyClass: row.5, phase: row.6,
                daysInPhase: row.7, ftos: row.8.elements, lastDOR: row.9?.description, dorCount: row.10, openRemedial: row.11,
                blockers: row.12.elements, expectedSolo: row.13?.description, soloCleared: row.14?.description,
                probationEnd: row.15?.description, coursework: coursework, behind: lag, attention: row.16.elements)
        }
    }
}
