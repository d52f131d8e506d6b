import Postgres

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
        public var blockers: [String]
        public var expectedSolo: String?
        public var soloCleared: String?
        public var probationEnd: String?
        public var coursework: [Course]
        /// Events the read models have not applied yet (0: up to date).
        public var behind: Int
    }

    public func trainee(_ id: String) async throws -> TraineeView? {
        let lag = try await projectionStatus().behind
        return try await run { connection in
            let rows = try connection.query(
                """
                SELECT trainee_id, name, badge, stage, hired_on::text, academy_class, phase, current_date - phase_started_on,
                       array_to_string(ftos, ','), last_dor_on::text, dor_count, open_remedial_detail,
                       array_to_string(failing_gates, E'\\n'), expected_solo_on::text, solo_cleared_on::text, probation_end_on::text
                FROM muster.trainee_status WHERE trainee_id = \(id)
                """, prepared: true)
            guard rows.count == 1 else { return nil }
            let courses = try connection.query(
                """
                SELECT course_type, last_completed_on::text, expires_on::text, expires_on - current_date, warning_days
                FROM muster.coursework_currency WHERE person_stream = \("trainee-" + id) ORDER BY course_type
                """, prepared: true)
            let coursework = try (0..<courses.count).map { row -> TraineeView.Course in
                let left = try courses.decodeIfPresent(Int.self, row: row, column: 3)
                let warning = try courses.decode(Int.self, row: row, column: 4)
                let status = left.map { $0 < 0 ? "overdue since \(try! courses.decode(String.self, row: row, column: 2))" : $0 <= warning ? "expiring in \($0) days" : "current" }
                    ?? "never completed"
                return TraineeView.Course(
                    type: try courses.decode(String.self, row: row, column: 0), lastCompleted: try courses.decodeIfPresent(String.self, row: row, column: 1),
                    expires: try courses.decodeIfPresent(String.self, row: row, column: 2), status: status)
            }
            let ftos = try rows.decodeIfPresent(String.self, row: 0, column: 8) ?? ""
            let gates = try rows.decodeIfPresent(String.self, row: 0, column: 12) ?? ""
            return TraineeView(
                trainee: try rows.decode(String.self, row: 0, column: 0), name: try rows.decode(String.self, row: 0, column: 1),
                badge: try rows.decode(String.self, row: 0, column: 2), stage: try rows.decode(String.self, row: 0, column: 3),
                hiredOn: try rows.decode(String.self, row: 0, column: 4), academyClass: try rows.decodeIfPresent(String.self, row: 0, column: 5),
                phase: try rows.decodeIfPresent(Int.self, row: 0, column: 6), daysInPhase: try rows.decodeIfPresent(Int.self, row: 0, column: 7),
                ftos: ftos.isEmpty ? [] : ftos.split(separator: ",").map(String.init), lastDOR: try rows.decodeIfPresent(String.self, row: 0, column: 9),
                dorCount: try rows.decode(Int.self, row: 0, column: 10), openRemedial: try rows.decodeIfPresent(String.self, row: 0, column: 11),
                blockers: gates.isEmpty ? [] : gates.split(separator: "\n").map(String.init),
                expectedSolo: try rows.decodeIfPresent(String.self, row: 0, column: 13), soloCleared: try rows.decodeIfPresent(String.self, row: 0, column: 14),
                probationEnd: try rows.decodeIfPresent(String.self, row: 0, column: 15), coursework: coursework, behind: lag)
        }
    }
}
