import Postgres
import TrainingDomain

extension ReadModelQueries {
    /// A DOR tracking sheet: for each phase, every evaluation category's rating on each shift
    /// and its trend, as the read models computed them (``CategoryTrend``).
    public struct TrackingSheet: Sendable, Codable, Hashable {
        public struct Phase: Sendable, Codable, Hashable {
            public var phase: Int
            /// The phase's shifts, oldest first.
            public var shifts: [String]
            public var categories: [CategoryRow]
        }

        public struct CategoryRow: Sendable, Codable, Hashable {
            public var category: String
            /// One cell per shift: `1`…`7`, `N/O`, `NRT`, or empty when the DOR left it blank.
            public var ratings: [String]
            public var scored: Int
            public var first: Int?
            public var last: Int?
            /// The mean score × 100 (425 is 4.25).
            public var meanTimes100: Int?
            /// `improving`, `steady`, `declining` or `not_enough_data`.
            public var trend: String
        }

        public var trainee: String
        public var name: String
        public var badge: String
        public var phases: [Phase]
    }

    /// The trainee's tracking sheet (one phase, or every phase with DORs); `nil` when the
    /// trainee is not in the read models.
    public func trackingSheet(_ trainee: String, phase: Int? = nil) async throws -> TrackingSheet? {
        try await run { connection in
            guard
                let person = try connection.query(
                    "SELECT name, badge FROM muster.trainee_status WHERE trainee_id = \(trainee)", prepared: true
                ).decodeAll(as: String.self, String.self).first
            else { return nil }
            let rows = try connection.query(
                """
                SELECT phase, shifts::text[], category, ratings, scored, first_rating, last_rating, mean_x100, direction
                FROM muster.category_trends
                WHERE trainee_id = \(trainee) AND (\(phase.map(Int32.init))::integer IS NULL OR phase = \(phase.map(Int32.init))::integer)
                ORDER BY phase, position, category
                """, prepared: true
            ).decodeAll(
                as: Int.self, PostgresTextArray.self, String.self, PostgresTextArray.self, Int.self, Int?.self, Int?.self, Int?.self, String.self)
            var phases: [TrackingSheet.Phase] = []
            for (number, shifts, category, ratings, scored, first, last, mean, direction) in rows {
                if phases.last?.phase != number { phases.append(.init(phase: number, shifts: shifts.elements, categories: [])) }
                phases[phases.count - 1].categories.append(
                    .init(
                        category: category, ratings: ratings.elements, scored: scored, first: first, last: last, meanTimes100: mean,
                        trend: direction))
            }
            return TrackingSheet(trainee: trainee, name: person.0, badge: person.1, phases: phases)
        }
    }
}
