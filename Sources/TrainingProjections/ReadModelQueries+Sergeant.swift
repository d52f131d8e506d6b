import Postgres
import TrainingDomain
import TrainingRecords

extension ReadModelQueries {
    public struct QueueItem: Sendable, Codable, Hashable {
        /// `phase_evaluation`, `phase_sign_off`, `remedial`, `probation_review`, `dor_signature`, `fto_update`.
        public var kind: String
        /// Whose item: `trainee-<id>` or `officer-<id>` (the stable key after the due date).
        public var person: String
        /// The trainee's id (`nil` for an FTO's own item).
        public var trainee: String?
        public var name: String
        public var item: String
        public var due: String
        public var daysLeft: Int
    }

    /// The training sergeant's queue, everything due within `days` (overdue included), by due
    /// date, then person, kind and item:
    /// - phase evaluations: the current phase has reached (or reaches) its minimum length and
    ///   no Phase Evaluation Report is filed; once one is, the phase's sign-off;
    /// - open remedial training, by its earliest due date;
    /// - probation reviews: the first interval not yet recorded;
    /// - DORs awaiting the trainee's signature (amended ones need a fresh one), from the oldest shift;
    /// - FTOs' 24-hour updates (after the due date the FTO may not rate).
    public func sergeantQueue(withinDays days: Int = 7, limit: Int = 1000) async throws -> [QueueItem] {
        let trainee = Streams.Category.trainee.prefix
        return try await run { connection in
            // Each part is read from its index by due date and limited, so the queue never sorts
            // more than a few limits' worth of rows.
            try connection.query(
                """
                SELECT kind, person, name, due, due - current_date, number, amended, detail FROM (
                    (SELECT CASE WHEN phase_evaluated_on IS NULL THEN 'phase_evaluation' ELSE 'phase_sign_off' END AS kind,
                            \(trainee) || trainee_id AS person, name, phase_minimum_end_on AS due, phase AS number, NULL::integer AS amended,
                            phase_evaluated_on::text AS detail
                     FROM muster.trainee_status
                     WHERE stage = 'field_training' AND phase_minimum_end_on <= current_date + \(Int32(days))
                     ORDER BY phase_minimum_end_on, trainee_id LIMIT \(limit))
                    UNION ALL
                    (SELECT 'remedial', \(trainee) || trainee_id, name, earliest_remedial_due_on, open_remedial, NULL, open_remedial_detail
                     FROM muster.trainee_status
                     WHERE open_remedial > 0 AND earliest_remedial_due_on <= current_date + \(Int32(days))
                     ORDER BY earliest_remedial_due_on, trainee_id LIMIT \(limit))
                    UNION ALL
                    (SELECT 'probation_review', \(trainee) || trainee_id, name, next_review_due_on, next_review_interval, NULL, NULL
                     FROM muster.trainee_status
                     WHERE next_review_due_on <= current_date + \(Int32(days))
                     ORDER BY next_review_due_on, trainee_id LIMIT \(limit))
                    UNION ALL
                    (SELECT 'dor_signature', \(trainee) || trainee_id, name, oldest_unsigned_dor_on, unsigned_dors, unsigned_amended_dors, NULL
                     FROM muster.trainee_status
                     WHERE oldest_unsigned_dor_on <= current_date + \(Int32(days))
                     ORDER BY oldest_unsigned_dor_on, trainee_id LIMIT \(limit))
                    UNION ALL
                    (SELECT 'fto_update', person_stream, person_name, update_due_on, NULL, NULL, last_update_on::text
                     FROM muster.fto_qualification
                     WHERE update_due_on <= current_date + \(Int32(days))
                     ORDER BY update_due_on, person_stream LIMIT \(limit))
                ) AS queue
                ORDER BY due, person, kind, number
                LIMIT \(limit)
                """, prepared: true
            ).decodeAll(as: String.self, String.self, String.self, Day.self, Int.self, Int?.self, Int?.self, String?.self).map {
                kind, person, name, due, left, number, amended, detail in
                QueueItem(
                    kind: kind, person: person, trainee: person.hasPrefix(trainee) ? String(person.dropFirst(trainee.count)) : nil, name: name,
                    item: Self.queueItem(kind, number: number, amended: amended, detail: detail), due: due.description, daysLeft: left)
            }
        }
    }

    /// What a queue item says.
    static func queueItem(_ kind: String, number: Int?, amended: Int?, detail: String?) -> String {
        let count = number ?? 0
        switch kind {
        case "phase_evaluation": return "phase \(count) evaluation"
        case "phase_sign_off": return "phase \(count) sign-off (evaluation filed \(detail ?? "-"))"
        case "remedial": return "remedial: \(detail ?? "\(count) open")"
        case "probation_review": return "probation \(count)-month review"
        case "dor_signature":
            let reports = count == 1 ? "1 DOR awaits" : "\(count) DORs await"
            let changed = (amended ?? 0) > 0 ? " (\(amended!) amended)" : ""
            return "\(reports) the trainee's signature\(changed)"
        case "fto_update": return "24-hour FTO update" + (detail.map { " (last \($0))" } ?? " (none since the FTO course)")
        default: return kind
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
}
