import Postgres

extension ReadModelQueries {
    public struct QueueItem: Sendable, Codable, Hashable {
        public var trainee: String
        public var name: String
        public var item: String
        public var due: String
        public var daysLeft: Int
    }

    /// The training sergeant's queue: phase evaluations due within `days`, and open remedial
    /// training that is overdue or due within `days`.
    public func sergeantQueue(withinDays days: Int = 7) async throws -> [QueueItem] {
        try await run { connection in
            let rows = try connection.query(
                """
                SELECT trainee_id, name, 'phase ' || phase || ' evaluation', phase_minimum_end_on::text, phase_minimum_end_on - current_date
                FROM muster.trainee_status
                WHERE stage = 'field_training' AND phase_minimum_end_on <= current_date + \(Int32(days))
                UNION ALL
                SELECT trainee_id, name, 'remedial: ' || open_remedial_detail, earliest_remedial_due_on::text,
                       earliest_remedial_due_on - current_date
                FROM muster.trainee_status
                WHERE open_remedial > 0 AND earliest_remedial_due_on <= current_date + \(Int32(days))
                ORDER BY 5, 2
                """, prepared: true)
            return try (0..<rows.count).map {
                QueueItem(
                    trainee: try rows.decode(String.self, row: $0, column: 0), name: try rows.decode(String.self, row: $0, column: 1),
                    item: try rows.decode(String.self, row: $0, column: 2), due: try rows.decode(String.self, row: $0, column: 3),
                    daysLeft: try rows.decode(Int.self, row: $0, column: 4))
            }
        }
    }

    public struct FTOLoad: Sendable, Codable, Hashable {
        public var fto: String
        public var trainees: Int
        public var names: String
    }

    /// Trainees riding with each FTO in their current phase.
    public func ftoWorkload() async throws -> [FTOLoad] {
        try await run { connection in
            let rows = try connection.query(
                """
                SELECT fto, count(*), string_agg(name, ', ' ORDER BY name)
                FROM muster.trainee_status, unnest(ftos) AS fto
                WHERE stage = 'field_training'
                GROUP BY fto ORDER BY count(*) DESC, fto
                """, prepared: true)
            return try (0..<rows.count).map {
                FTOLoad(
                    fto: try rows.decode(String.self, row: $0, column: 0), trainees: try rows.decode(Int.self, row: $0, column: 1),
                    names: try rows.decode(String.self, row: $0, column: 2))
            }
        }
    }

    public struct Forecast: Sendable, Codable, Hashable {
        public var openings: Int
        public var inPipeline: Int
        /// Share of recruits who separated before solo release, from the record so far.
        public var attrition: Double
        /// When the pipeline is expected to have released `openings` recruits (after attrition).
        public var filledBy: String?
        /// Recruits still to hire when the pipeline cannot fill the openings.
        public var shortfall: Int
        public var expectedReleases: [String]
    }

    /// When `openings` recruits will have been released to solo patrol: the pipeline's expected
    /// release dates from policy lengths, discounted by the attrition seen so far.
    public func forecast(openings: Int) async throws -> Forecast {
        try await run { connection in
            let rates = try connection.query(
                """
                SELECT count(*) FILTER (WHERE stage = 'separated' AND solo_cleared_on IS NULL),
                       count(*) FILTER (WHERE solo_cleared_on IS NOT NULL OR stage = 'separated')
                FROM muster.trainee_status
                """, prepared: true)
            let separated = try rates.decode(Int.self, row: 0, column: 0)
            let decided = try rates.decode(Int.self, row: 0, column: 1)
            let attrition = decided == 0 ? 0 : Double(separated) / Double(decided)
            let rows = try connection.query(
                """
                SELECT greatest(expected_solo_on, current_date)::text FROM muster.trainee_status
                WHERE stage IN ('academy', 'academy_graduated', 'field_training') AND expected_solo_on IS NOT NULL
                ORDER BY expected_solo_on
                """, prepared: true)
            let dates = try (0..<rows.count).map { try rows.decode(String.self, row: $0, column: 0) }
            // Each recruit in the pipeline counts as (1 - attrition) of a released officer.
            let perRecruit = max(0.05, 1 - attrition)
            let needed = Int((Double(openings) / perRecruit).rounded(.up))
            return Forecast(
                openings: openings, inPipeline: dates.count, attrition: attrition, filledBy: needed <= dates.count ? dates[needed - 1] : nil,
                shortfall: max(0, Int((Double(needed - dates.count) * perRecruit).rounded(.up))), expectedReleases: dates)
        }
    }
}
