import Postgres
import TrainingDomain

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
            try connection.query(
                """
                SELECT trainee_id, name, 'phase ' || phase || ' evaluation', phase_minimum_end_on, phase_minimum_end_on - current_date
                FROM muster.trainee_status
                WHERE stage = 'field_training' AND phase_minimum_end_on <= current_date + \(Int32(days))
                UNION ALL
                SELECT trainee_id, name, 'remedial: ' || open_remedial_detail, earliest_remedial_due_on,
                       earliest_remedial_due_on - current_date
                FROM muster.trainee_status
                WHERE open_remedial > 0 AND earliest_remedial_due_on <= current_date + \(Int32(days))
                ORDER BY 5, 2, 1, 3
                """, prepared: true
            ).decodeAll(as: String.self, String.self, String.self, Day.self, Int.self).map {
                QueueItem(trainee: $0, name: $1, item: $2, due: $3.description, daysLeft: $4)
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
            try connection.query(
                """
                SELECT fto, count(*), string_agg(name, ', ' ORDER BY name, trainee_id)
                FROM muster.trainee_status, unnest(ftos) AS fto
                WHERE stage = 'field_training'
                GROUP BY fto ORDER BY count(*) DESC, fto
                """, prepared: true
            ).decodeAll(as: String.self, Int.self, String.self).map { FTOLoad(fto: $0, trainees: $1, names: $2) }
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
            let (separated, decided) = try connection.query(
                """
                SELECT count(*) FILTER (WHERE stage = 'separated' AND solo_cleared_on IS NULL),
                       count(*) FILTER (WHERE solo_cleared_on IS NOT NULL OR stage = 'separated')
                FROM muster.trainee_status
                """, prepared: true
            ).decodeRow(0, as: Int.self, Int.self)
            let attrition = decided == 0 ? 0 : Double(separated) / Double(decided)
            let dates = try connection.query(
                """
                SELECT expected FROM (
                    SELECT muster.expected_on(expected_solo_earliest_on, expected_solo_lead_days, current_date) AS expected, trainee_id
                    FROM muster.trainee_status
                    WHERE stage IN ('academy', 'academy_graduated', 'field_training') AND expected_solo_earliest_on IS NOT NULL) AS t
                ORDER BY expected, trainee_id
                """, prepared: true
            ).decodeAll(as: Day.self).map(\.description)
            // Each recruit in the pipeline counts as (1 - attrition) of a released officer.
            let perRecruit = max(0.05, 1 - attrition)
            let needed = Int((Double(openings) / perRecruit).rounded(.up))
            return Forecast(
                openings: openings, inPipeline: dates.count, attrition: attrition, filledBy: needed <= dates.count ? dates[needed - 1] : nil,
                shortfall: max(0, Int((Double(needed - dates.count) * perRecruit).rounded(.up))), expectedReleases: dates)
        }
    }
}
