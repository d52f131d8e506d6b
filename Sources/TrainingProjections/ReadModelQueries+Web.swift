import Postgres
import TrainingDomain
import TrainingRecords

/// What the web pages read besides the boards: an FTO's trainees, everyone in field training,
/// and attrition (all from `muster.trainee_status`).
extension ReadModelQueries {
    public struct TraineeLine: Sendable, Codable, Hashable {
        public var trainee: String
        public var name: String
        public var badge: String
        public var phase: Int?
        public var ftos: [String]
        public var lastDOR: String?
        public var unsignedDORs: Int
        public var openRemedial: String?
        public var attention: [String]
    }

    /// Trainees in field training, by name; only those riding with `fto` when one is given.
    public func traineesInFieldTraining(fto: String? = nil, limit: Int = 500) async throws -> [TraineeLine] {
        try await run { connection in
            try connection.query(
                """
                SELECT trainee_id, name, badge, phase, ftos, last_dor_on, unsigned_dors, open_remedial_detail, attention
                FROM muster.trainee_status
                WHERE stage = 'field_training' AND (\(fto)::text IS NULL OR \(fto ?? "") = ANY(ftos))
                ORDER BY name, trainee_id
                LIMIT \(limit)
                """, prepared: true
            ).decodeAll(
                as: String.self, String.self, String.self, Int?.self, PostgresTextArray.self, Day?.self, Int.self, String?.self,
                PostgresTextArray.self
            ).map {
                TraineeLine(
                    trainee: $0, name: $1, badge: $2, phase: $3, ftos: $4.elements, lastDOR: $5?.description, unsignedDORs: $6, openRemedial: $7,
                    attention: $8.elements)
            }
        }
    }

    public struct AttritionRow: Sendable, Codable, Hashable {
        /// The stage they left from.
        public var stage: String
        public var kind: String
        public var count: Int
    }

    /// Who left, from which stage and how.
    public func attrition() async throws -> [AttritionRow] {
        try await run { connection in
            try connection.query(
                """
                SELECT coalesce(separated_stage, '-'), separated_kind, count(*) FROM muster.trainee_status
                WHERE separated_kind IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
                """, prepared: true
            ).decodeAll(as: String.self, String.self, Int.self).map { AttritionRow(stage: $0, kind: $1, count: $2) }
        }
    }
}
