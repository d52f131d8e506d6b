/// A recruit on the way to solo patrol, as the read models have them.
public struct PipelineRecruit: Hashable, Sendable {
    public var trainee: String
    public var stage: PipelineStage
    /// The day they entered their stage (hired, enrolled, graduated, started field training).
    public var enteredStageOn: Day
    /// When policy lengths release them (``Readiness`` computes it; it slips with the day).
    public var expectedRelease: ExpectedDate

    /// - Parameters:
    ///   - releaseEarliest, releaseLeadDays: the expected release as the read models store it
    ///     (the later of the earliest day and the day judged plus the lead).
    public init(trainee: String, stage: PipelineStage, enteredStageOn: Day, releaseEarliest: Day, releaseLeadDays: Int) {
        self.trainee = trainee
        self.stage = stage
        self.enteredStageOn = enteredStageOn
        expectedRelease = ExpectedDate(earliest: releaseEarliest, leadDays: releaseLeadDays)
    }
}

/// When the pipeline fills a number of openings, and how many more to hire. Pure: the read
/// models supply the recruits and the history, and the database's day.
public struct PipelineForecast: Hashable, Sendable, Codable {
    public struct StageCount: Hashable, Sendable, Codable {
        public var stage: PipelineStage
        public var recruits: Int
    }

    /// One opening and when it is expected to fill: when the recruit who fills it (the
    /// ⌈k ÷ yield⌉-th in expected-release order) is released; `nil` when the pipeline is too short.
    public struct Opening: Hashable, Sendable, Codable {
        public var opening: Int
        public var recruit: Int?
        public var expected: Day?
    }

    public var today: Day
    public var openings: Int
    public var pipeline: [StageCount]
    public var inPipeline: Int
    public var yield: Yield
    /// Openings the pipeline is expected to fill: ⌊recruits × yield⌋, at most `openings`.
    public var filledByPipeline: Int
    /// Officers short: openings the pipeline is not expected to fill.
    public var short: Int
    /// Recruits to hire for the officers short: ⌈short ÷ yield⌉ (`nil` when the yield is zero).
    public var hires: Int?
    /// When a recruit hired today is expected to be released (the academy and the program).
    public var hireReleasedAbout: Day
    public var schedule: [Opening]
    /// When the last opening is expected to fill from the pipeline (`nil` when it is short).
    public var filledBy: Day?
    /// The chance every opening is filled by the day asked (or by `filledBy`).
    public var chance: FillChance?
    /// The chance by the end of each month, for charts.
    public var curve: [FillChance]
    public var simulatedRuns: Int

    /// - Parameters:
    ///   - by: the day to give the chance for (default: `filledBy`, when the pipeline fills them).
    public init(
        openings: Int, by: Day? = nil, today: Day, recruits: [PipelineRecruit], history: PipelineHistory, policy: TrainingPolicy
    ) {
        let openings = max(0, openings)
        self.today = today
        self.openings = openings
        pipeline = PipelineStage.allCases.map { stage in StageCount(stage: stage, recruits: recruits.count(where: { $0.stage == stage })) }
        inPipeline = recruits.count
        let yield = history.yield(policy: policy.forecast)
        self.yield = yield
        let releases = recruits.map { ($0.expectedRelease.on(today), $0.trainee) }.sorted { $0 < $1 }.map(\.0)
        filledByPipeline = min(openings, yield.officers(from: releases.count))
        short = openings - filledByPipeline
        hires = yield.recruits(for: short)
        hireReleasedAbout = Self.releaseOfHire(on: today, policy: policy)
        schedule = (0..<openings).map { index in
            let recruit = yield.recruits(for: index + 1)
            let expected = recruit.flatMap { $0 <= releases.count ? releases[$0 - 1] : nil }
            return Opening(opening: index + 1, recruit: expected == nil ? nil : recruit, expected: expected)
        }
        filledBy = short == 0 ? (schedule.last?.expected ?? today) : nil
        let simulation = FillSimulation(openings: openings, recruits: recruits, history: history, policy: policy, today: today)
        let asked = by ?? filledBy
        chance = asked.map { FillChance(by: $0, percent: simulation.chance(by: $0)) }
        curve = simulation.curve(through: asked)
        simulatedRuns = FillSimulation.runs
    }

    /// A recruit hired on `day`: the rule ``Readiness`` applies to every hire not yet enrolled.
    static func releaseOfHire(on day: Day, policy: TrainingPolicy) -> Day {
        var file = PersonnelFile()
        file.profile = Profile(trainee: TraineeID("hire"), name: "", badge: "", hireDate: day, agency: AgencyID(""))
        return Readiness.expectedSolo(file, policy: policy)?.on(day) ?? day
    }
}
