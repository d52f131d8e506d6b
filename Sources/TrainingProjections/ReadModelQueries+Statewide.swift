import EventLogPostgres
import Postgres
public import TrainingDomain

/// The statewide view: one row per agency, for a standards commission's staff reading as the
/// statewide role (`muster_state`, which sees every agency's read-model rows). Read as an
/// agency's session, the same query answers for that agency alone.
extension ReadModelQueries {
    public struct AgencySummary: Sendable, Codable, Hashable {
        public var agency: String
        /// Recruits and officers in the pipeline at each stage (`hired`, `academy`, …).
        public var stages: [String: Int]
        /// Trainees cleared for solo patrol in the year up to the day, and ever.
        public var completionsPastYear: Int
        public var completionsEver: Int
        /// Required courses current on the day, of all that people must hold.
        public var coursesCurrent: Int
        public var coursesRequired: Int
        /// `coursesCurrent / coursesRequired` (1 when nothing is required).
        public var complianceRate: Double
        /// FTOs whose qualification is current on the day, the trainees in field training, and
        /// the most any one FTO has.
        public var qualifiedFTOs: Int
        public var traineesInFieldTraining: Int
        public var mostTraineesPerFTO: Int

        /// Trainees in field training per qualified FTO (0 without FTOs).
        public var traineesPerFTO: Double { qualifiedFTOs == 0 ? 0 : Double(traineesInFieldTraining) / Double(qualifiedFTOs) }
    }

    /// Every agency the reader may see, by agency id.
    public func statewide(on day: Day) async throws -> [AgencySummary] {
        try await run { connection in
            var summaries: [String: AgencySummary] = [:]
            func summary(_ agency: String) -> AgencySummary {
                summaries[agency]
                    ?? AgencySummary(
                        agency: agency, stages: [:], completionsPastYear: 0, completionsEver: 0, coursesCurrent: 0, coursesRequired: 0,
                        complianceRate: 1, qualifiedFTOs: 0, traineesInFieldTraining: 0, mostTraineesPerFTO: 0)
            }
            let today = "\(day)"
            let yearAgo = "\(day.adding(days: -365))"
            for (agency, stage, count, recent, ever) in try connection.query(
                """
                SELECT agency, stage, count(*), count(*) FILTER (WHERE solo_cleared_on > \(yearAgo)::date AND solo_cleared_on <= \(today)::date),
                       count(solo_cleared_on)
                FROM muster.trainee_status GROUP BY agency, stage
                """, prepared: true
            ).decodeAll(as: String.self, String.self, Int.self, Int.self, Int.self) {
                var row = summary(agency)
                row.stages[stage] = count
                row.completionsPastYear += recent
                row.completionsEver += ever
                if stage == "field_training" { row.traineesInFieldTraining = count }
                summaries[agency] = row
            }
            for (agency, current, required) in try connection.query(
                """
                SELECT agency, count(*) FILTER (WHERE expires_on >= \(today)::date), count(*)
                FROM muster.coursework_currency GROUP BY agency
                """, prepared: true
            ).decodeAll(as: String.self, Int.self, Int.self) {
                var row = summary(agency)
                row.coursesCurrent = current
                row.coursesRequired = required
                row.complianceRate = required == 0 ? 1 : Double(current) / Double(required)
                summaries[agency] = row
            }
            for (agency, qualified) in try connection.query(
                "SELECT agency, count(*) FILTER (WHERE update_due_on >= \(today)::date) FROM muster.fto_qualification GROUP BY agency", prepared: true
            ).decodeAll(as: String.self, Int.self) {
                var row = summary(agency)
                row.qualifiedFTOs = qualified
                summaries[agency] = row
            }
            for (agency, most) in try connection.query(
                """
                SELECT agency, max(load) FROM (
                    SELECT agency, fto, count(*) AS load
                    FROM muster.trainee_status, unnest(ftos) AS fto
                    WHERE stage = 'field_training' GROUP BY agency, fto) AS loads
                GROUP BY agency
                """, prepared: true
            ).decodeAll(as: String.self, Int.self) {
                var row = summary(agency)
                row.mostTraineesPerFTO = most
                summaries[agency] = row
            }
            return summaries.values.sorted { $0.agency < $1.agency }
        }
    }
}
