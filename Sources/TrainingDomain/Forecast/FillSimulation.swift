/// The chance that the pipeline fills every opening by a date: a Monte Carlo over what the
/// record shows so far.
///
/// Each run takes every recruit in the pipeline and
/// - keeps them with the yield of recruits who reached their stage (``PipelineHistory/yield(from:policy:)``),
/// - draws how long the rest of their current stage takes among the lengths seen for it that
///   are at least as long as they have already spent, and each later stage's length among all
///   seen for it (a stage never seen takes its policy length),
/// - releases them on that day, but never before the date the domain expects from policy
///   lengths (``ExpectedDate``): nobody is released before the program allows.
///
/// The openings are filled in a run on the day its `openings`-th release happens. Runs use
/// ``SeededGenerator`` from a fixed seed and recruits in trainee order, and every draw is
/// integer arithmetic, so the same log gives the same answer on every machine.
public struct FillSimulation: Sendable {
    public static let runs = 1000
    public static let seed: UInt64 = 0x4D55_5354_4552_0010
    /// Releases further out than this are beyond what the simulation counts.
    public static let horizonDays = 3650

    /// Per run, the days from `today` until the openings are filled (`nil`: not within the horizon).
    public let fillOffsets: [Int?]
    public let today: Day

    public init(openings: Int, recruits: [PipelineRecruit], history: PipelineHistory, policy: TrainingPolicy, today: Day) {
        self.today = today
        let stages = PipelineStage.allCases.map { history.lengths($0) }
        let plans = recruits.sorted { $0.trainee < $1.trainee }.map { recruit in
            RecruitPlan(recruit, stages: stages, yield: history.yield(from: recruit.stage, policy: policy.forecast), policy: policy, today: today)
        }
        var generator = SeededGenerator(seed: Self.seed)
        var releases: [Int] = []
        releases.reserveCapacity(plans.count)
        // Releases per day offset, for finding the `openings`-th without sorting every run.
        var perDay = [Int](repeating: 0, count: Self.horizonDays + 1)
        var offsets: [Int?] = []
        offsets.reserveCapacity(Self.runs)
        for _ in 0..<Self.runs {
            releases.removeAll(keepingCapacity: true)
            for plan in plans {
                // Every draw is made whether or not the recruit is kept: each recruit uses the
                // same number of draws, so one recruit's outcome never shifts another's.
                let kept = generator.below(plan.yieldDenominator) < plan.yieldNumerator
                var days = plan.fixedDays
                if let from = plan.currentFrom { days += stages[plan.stage].draw(from: from, using: &generator) - plan.elapsed }
                for stage in plan.drawnLater { days += stages[stage].draw(from: 0, using: &generator) }
                guard kept else { continue }
                let offset = max(0, days, plan.expectedOffset)
                if offset <= Self.horizonDays { releases.append(offset) }
            }
            offsets.append(Self.fillOffset(releases, openings: openings, perDay: &perDay))
        }
        fillOffsets = offsets
    }

    /// One recruit's draws, worked out once: what each run adds up.
    struct RecruitPlan {
        var yieldNumerator: Int
        var yieldDenominator: Int
        var stage: Int
        var elapsed: Int
        /// The first length seen for the current stage at least as long as `elapsed` (drawn from it on).
        var currentFrom: Int?
        /// Later stages with lengths seen (each drawn).
        var drawnLater: [Int]
        /// Days that need no draw: the rest of a current stage never seen (policy length, or none
        /// left when every length seen is shorter than what was spent), later stages never seen.
        var fixedDays: Int
        /// Days until the release policy lengths give (nobody is released before it).
        var expectedOffset: Int

        init(_ recruit: PipelineRecruit, stages: [StageLengths], yield: Yield, policy: TrainingPolicy, today: Day) {
            yieldNumerator = yield.numerator
            yieldDenominator = yield.denominator
            stage = recruit.stage.order
            elapsed = max(0, recruit.enteredStageOn.distance(to: today))
            expectedOffset = today.distance(to: recruit.expectedRelease.on(today))
            let current = stages[stage]
            currentFrom = current.isEmpty ? nil : current.firstIndex(atLeast: elapsed)
            fixedDays = current.isEmpty ? max(0, recruit.stage.policyDays(policy) - elapsed) : 0
            drawnLater = []
            for later in recruit.stage.later {
                if stages[later.order].isEmpty { fixedDays += later.policyDays(policy) } else { drawnLater.append(later.order) }
            }
        }
    }

    /// The day (offset from today) of the `openings`-th release, `nil` when fewer are released.
    /// `perDay` is all zeros on entry and on return.
    static func fillOffset(_ releases: [Int], openings: Int, perDay: inout [Int]) -> Int? {
        guard openings > 0 else { return 0 }
        guard releases.count >= openings else { return nil }
        var first = Int.max
        for offset in releases {
            perDay[offset] += 1
            first = min(first, offset)
        }
        var total = 0
        var day = first
        while true {
            total += perDay[day]
            if total >= openings { break }
            day += 1
        }
        for offset in releases { perDay[offset] = 0 }
        return day
    }

    /// Percent of runs (rounded down: 100 only when every run did) that filled every opening by `day`.
    public func chance(by day: Day) -> Int {
        let limit = today.distance(to: day)
        let filled = fillOffsets.lazy.filter { $0.map { $0 <= limit } ?? false }.count
        return filled * 100 / max(1, fillOffsets.count)
    }

    /// The chance at the end of each month, from this month until the chance stops rising (at
    /// least `minimumMonths`, at most ten years), and through `through` when given.
    public func curve(minimumMonths: Int = 12, through: Day? = nil) -> [FillChance] {
        let latest = fillOffsets.compactMap { $0 }.max().map { today.adding(days: $0) } ?? today
        let last = max(latest, through ?? today, today.adding(months: minimumMonths - 1))
        var points: [FillChance] = []
        var month = today.monthEnd
        while month <= last.monthEnd && points.count < 120 {
            points.append(FillChance(by: month, percent: chance(by: month)))
            month = month.adding(days: 1).monthEnd
        }
        return points
    }
}

/// The chance that every opening is filled by a day.
public struct FillChance: Hashable, Sendable, Codable {
    public var by: Day
    public var percent: Int

    public init(by: Day, percent: Int) {
        self.by = by
        self.percent = percent
    }
}

extension Day {
    /// The last day of this day's month.
    var monthEnd: Day {
        let (year, month, _) = components
        return Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
    }
}
