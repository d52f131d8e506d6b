import EventLog
import Postgres
public import TrainingDomain

extension ReadModelQueries {
    /// When the pipeline fills `openings`, how many more to hire, and the chance every opening
    /// is filled by `by`: the domain's ``PipelineForecast`` over the recruits and the history
    /// the read models hold, judged on the database's day under the policy the rows were made
    /// under.
    public func forecast(openings: Int, by: Day? = nil) async throws -> PipelineForecast {
        try await run { connection in
            let today = try connection.query("SELECT current_date").decodeRow(0, as: Day.self)
            let policy = try Self.policy(on: today, connection)
            let recruits = try Self.pipelineRecruits(connection)
            let history = try Self.pipelineHistory(connection)
            return PipelineForecast(openings: openings, by: by, today: today, recruits: recruits, history: history, policy: policy)
        }
    }

    /// The policy in force on `day` among those adopted up to the read models' checkpoint.
    static func policy(on day: Day, _ connection: PostgresConnection) throws -> TrainingPolicy {
        let checkpoint =
            try connection.query(
                "SELECT xact_id, global_position FROM muster.projection_checkpoints WHERE projection = \(ProjectionRunner.projection)"
            ).decodeAll(as: PostgresTransactionID.self, Int64.self).first.map { LogPosition(transaction: $0.rawValue, global: $1) } ?? .start
        var cache = ProjectionRunner.Cache(checkpoint: checkpoint)
        if checkpoint != .start { try ProjectionRunner.loadPolicies(upTo: checkpoint, into: &cache, on: connection) }
        return cache.policies.policy(on: day)
    }

    /// Everyone on the way to solo patrol, in trainee order.
    static func pipelineRecruits(_ connection: PostgresConnection) throws -> [PipelineRecruit] {
        try connection.query(
            """
            SELECT trainee_id, stage,
                   CASE stage WHEN 'hired' THEN hired_on WHEN 'academy' THEN academy_started_on
                              WHEN 'academy_graduated' THEN academy_graduated_on ELSE field_training_started_on END,
                   expected_solo_earliest_on, expected_solo_lead_days
            FROM muster.trainee_status
            WHERE stage IN ('hired', 'academy', 'academy_graduated', 'field_training') AND expected_solo_earliest_on IS NOT NULL
            ORDER BY trainee_id
            """, prepared: true
        ).decodeAll(as: String.self, String.self, Day?.self, Day.self, Int.self).compactMap { trainee, stage, entered, earliest, lead in
            guard let stage = PipelineStage(rawValue: stage) else { return nil }
            return PipelineRecruit(
                trainee: trainee, stage: stage, enteredStageOn: entered ?? earliest, releaseEarliest: earliest, releaseLeadDays: lead)
        }
    }

    /// How long each stage took those who left it for the next, how many were released, and
    /// from which stage the others separated.
    static func pipelineHistory(_ connection: PostgresConnection) throws -> PipelineHistory {
        var history = PipelineHistory()
        let lengths = try connection.query(
            """
            SELECT length.stage, length.days, count(*)
            FROM muster.trainee_status,
                 LATERAL (VALUES ('hired', academy_started_on - hired_on),
                                 ('academy', academy_graduated_on - academy_started_on),
                                 ('academy_graduated', field_training_started_on - academy_graduated_on),
                                 ('field_training', solo_cleared_on - field_training_started_on)) AS length(stage, days)
            WHERE length.days IS NOT NULL
            GROUP BY 1, 2
            ORDER BY 1, 2
            """, prepared: true
        ).decodeAll(as: String.self, Int.self, Int.self)
        for (stage, days, count) in lengths {
            guard let stage = PipelineStage(rawValue: stage) else { continue }
            history.stageDays[stage, default: [:]][days, default: 0] += count
        }
        let outcomes = try connection.query(
            """
            SELECT CASE WHEN solo_cleared_on IS NOT NULL THEN 'released' ELSE separated_stage END, count(*)
            FROM muster.trainee_status
            WHERE solo_cleared_on IS NOT NULL OR stage = 'separated'
            GROUP BY 1
            ORDER BY 1
            """, prepared: true
        ).decodeAll(as: String?.self, Int.self)
        for (outcome, count) in outcomes {
            if outcome == "released" {
                history.released += count
            } else if let stage = outcome.flatMap(PipelineStage.init(rawValue:)) {
                history.separatedFrom[stage, default: 0] += count
            }
        }
        return history
    }
}
