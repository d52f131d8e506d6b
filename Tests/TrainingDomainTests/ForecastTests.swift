import Testing
import TrainingDomain

/// The forecast: who is in the pipeline, the yield in whole numbers, which recruit fills each
/// opening, and a simulation that gives the same answer for the same record.
@Suite struct ForecastTests {
    static let policy = TrainingPolicy.pasadenaDefault
    static let thick = ForecastPolicy(minimumOutcomes: 10, yieldFloorPercent: 50)
    static let today = Day("2026-07-01")!

    // MARK: - The yield, in integers

    @Test("39 officers short at a 2/3 yield means 59 hires, not 27 (the product of 39 and 0.6667)")
    func thirtyNineShort() {
        let yield = Yield(released: 20, separatedBeforeRelease: 10, policy: Self.thick)
        #expect(yield.numerator == 2 && yield.denominator == 3)
        #expect(yield.recruits(for: 39) == 59)
        #expect(yield.officers(from: 59) == 39)
        #expect(yield.officers(from: 58) == 38)
        #expect(yield.percent == 66)
    }

    @Test("thin history takes the policy's floor when the observed share is below it, and the observed share when above")
    func floor() {
        let low = Yield(released: 1, separatedBeforeRelease: 4, policy: Self.thick)
        #expect(low.floorApplied)
        #expect(low.numerator == 1 && low.denominator == 2)
        #expect(low.recruits(for: 39) == 78)
        let high = Yield(released: 4, separatedBeforeRelease: 2, policy: Self.thick)
        #expect(!high.floorApplied)
        #expect(high.recruits(for: 39) == 59)
        let none = Yield(released: 0, separatedBeforeRelease: 0, policy: Self.thick)
        #expect(none.floorApplied && none.percent == 50)
        // Enough history: the observed share stands, however low.
        let poor = Yield(released: 3, separatedBeforeRelease: 27, policy: Self.thick)
        #expect(!poor.floorApplied && poor.recruits(for: 3) == 30)
    }

    @Test("a zero yield sizes no hiring")
    func zero() {
        let yield = Yield(released: 0, separatedBeforeRelease: 12, policy: Self.thick)
        #expect(yield.isZero)
        #expect(yield.recruits(for: 5) == nil)
        #expect(yield.officers(from: 100) == 0)
    }

    @Test("hires × released ≥ short × decided and (hires − 1) × released < short × decided, for any record and policy")
    func hiresProperty() {
        var g = SeededGenerator(seed: 10)
        for _ in 0..<20_000 {
            let released = Int.random(in: 0...5_000, using: &g)
            let separated = Int.random(in: 0...5_000, using: &g)
            let policy = ForecastPolicy(minimumOutcomes: Int.random(in: 0...50, using: &g), yieldFloorPercent: Int.random(in: 0...100, using: &g))
            let short = Int.random(in: 0...100_000, using: &g)
            let yield = Yield(released: released, separatedBeforeRelease: separated, policy: policy)
            guard let hires = yield.recruits(for: short) else {
                #expect(yield.isZero)
                #expect(released == 0 || policy.yieldFloorPercent == 0)
                continue
            }
            // Exact in the share applied…
            #expect(hires * yield.numerator >= short * yield.denominator)
            #expect(short == 0 || (hires - 1) * yield.numerator < short * yield.denominator)
            // …which is released ÷ decided itself whenever the floor was not applied.
            if !yield.floorApplied {
                #expect(hires * released >= short * (released + separated))
                #expect(short == 0 || (hires - 1) * released < short * (released + separated))
            } else {
                #expect(hires * policy.yieldFloorPercent >= short * 100)
                #expect(short == 0 || (hires - 1) * policy.yieldFloorPercent < short * 100)
            }
            // The hires give back at least the officers short, and one fewer would not.
            #expect(yield.officers(from: hires) >= short)
            #expect(short == 0 || yield.officers(from: hires - 1) < short)
        }
    }

    // MARK: - Who is in the pipeline

    @Test("a hire not yet enrolled is expected on solo patrol after the academy and the program, from the later of the hire and the day")
    func hireNotEnrolled() {
        let s = Scenario.hired()
        let program = Self.policy.fieldTraining.totalMinimumWeeks * 7
        let academy = Self.policy.academy.lengthWeeks * 7
        let early = Readiness.evaluate(s.file, policy: Self.policy, on: Scenario.hire.adding(days: -3))
        #expect(early.milestones.first { $0.name == "solo patrol" }?.expected == Scenario.hire.adding(days: academy + program))
        let late = Scenario.hire.adding(days: 100)
        let slipped = Readiness.evaluate(s.file, policy: Self.policy, on: late)
        #expect(slipped.milestones.first { $0.name == "academy graduation" }?.expected == late.adding(days: academy))
        #expect(slipped.milestones.first { $0.name == "solo patrol" }?.expected == late.adding(days: academy + program))
    }

    @Test("a graduate waiting for field training is expected on solo patrol the program's length after the later of graduation and the day")
    func graduateWaiting() {
        let s = Scenario.graduated()
        let graduation = s.file.academy!.graduatedOn!
        let program = Self.policy.fieldTraining.totalMinimumWeeks * 7
        let onTime = Readiness.evaluate(s.file, policy: Self.policy, on: graduation)
        #expect(onTime.milestones.map(\.name) == ["solo patrol", "probation end"])
        #expect(onTime.milestones.first?.expected == graduation.adding(days: program))
        let waited = graduation.adding(days: 45)
        #expect(Readiness.evaluate(s.file, policy: Self.policy, on: waited).milestones.first?.expected == waited.adding(days: program))
    }

    // MARK: - Which recruit fills each opening

    static func recruit(_ id: String, _ stage: PipelineStage, releasedOn day: Day) -> PipelineRecruit {
        PipelineRecruit(trainee: id, stage: stage, enteredStageOn: today.adding(days: -10), releaseEarliest: day, releaseLeadDays: 0)
    }

    @Test("opening k fills when the ⌈k ÷ yield⌉-th recruit in expected-release order is released; the rest are short and sized in hires")
    func schedule() {
        // 2 of 3 released so far (thick history with 10 outcomes of each kind… 20 of 30).
        let history = PipelineHistory(released: 20, separatedFrom: [.academy: 6, .fieldTraining: 4])
        let recruits = (1...7).map { Self.recruit("r-\($0)", .fieldTraining, releasedOn: Self.today.adding(days: 10 * $0)) }.reversed()
        let forecast = PipelineForecast(openings: 6, today: Self.today, recruits: Array(recruits), history: history, policy: Self.policy)
        #expect(forecast.inPipeline == 7)
        #expect(forecast.filledByPipeline == 4)  // ⌊7 × 2 ÷ 3⌋
        #expect(forecast.short == 2)
        #expect(forecast.hires == 3)  // ⌈2 × 3 ÷ 2⌉
        #expect(forecast.schedule.map(\.recruit) == [2, 3, 5, 6, nil, nil])
        #expect(forecast.schedule.map(\.expected) == [20, 30, 50, 60].map { Self.today.adding(days: $0) } + [nil, nil])
        #expect(forecast.filledBy == nil)
        #expect(forecast.hireReleasedAbout == Self.today.adding(days: (26 + 22) * 7))
        let enough = PipelineForecast(openings: 4, today: Self.today, recruits: Array(recruits), history: history, policy: Self.policy)
        #expect(enough.short == 0 && enough.hires == 0)
        #expect(enough.filledBy == Self.today.adding(days: 60))
    }

    @Test("opening k has a date exactly when k ≤ ⌊recruits × yield⌋, for any pipeline and record")
    func scheduleProperty() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<100 {
            let count = Int.random(in: 0...40, using: &g)
            let recruits = (0..<count).map {
                Self.recruit(
                    "r-\($0)", PipelineStage.allCases.randomElement(using: &g)!,
                    releasedOn: Self.today.adding(days: Int.random(in: 0...400, using: &g)))
            }
            let history = PipelineHistory(
                released: Int.random(in: 0...30, using: &g), separatedFrom: [.academy: Int.random(in: 0...30, using: &g)])
            let openings = Int.random(in: 1...50, using: &g)
            let forecast = PipelineForecast(openings: openings, today: Self.today, recruits: recruits, history: history, policy: Self.policy)
            let fillable = forecast.yield.officers(from: count)
            #expect(forecast.filledByPipeline == min(openings, fillable))
            #expect(forecast.schedule.filter { $0.expected != nil }.map(\.opening) == Array(0..<min(openings, fillable)).map { $0 + 1 })
            let dates = forecast.schedule.compactMap(\.expected)
            #expect(dates == dates.sorted())
            #expect(forecast.short + forecast.filledByPipeline == openings)
        }
    }

    // MARK: - The simulation

    static func department(_ g: inout SeededGenerator) -> (recruits: [PipelineRecruit], history: PipelineHistory) {
        let recruits = (0..<60).map { index -> PipelineRecruit in
            let stage = PipelineStage.allCases.randomElement(using: &g)!
            let entered = today.adding(days: -Int.random(in: 0...150, using: &g))
            return PipelineRecruit(
                trainee: "r-\(index)", stage: stage, enteredStageOn: entered,
                releaseEarliest: today.adding(days: Int.random(in: 0...400, using: &g)), releaseLeadDays: Int.random(in: 0...154, using: &g))
        }
        var history = PipelineHistory(released: 25, separatedFrom: [.hired: 2, .academy: 6, .academyGraduated: 1, .fieldTraining: 3])
        for stage in PipelineStage.allCases {
            for _ in 0..<30 { history.stageDays[stage, default: [:]][Int.random(in: 0...220, using: &g), default: 0] += 1 }
        }
        return (recruits, history)
    }

    @Test("the same record gives the same chances, whatever order the recruits arrive in")
    func simulationDeterministic() {
        var g = SeededGenerator(seed: 12)
        let (recruits, history) = Self.department(&g)
        let first = FillSimulation(openings: 20, recruits: recruits, history: history, policy: Self.policy, today: Self.today)
        let again = FillSimulation(openings: 20, recruits: recruits.shuffled(using: &g), history: history, policy: Self.policy, today: Self.today)
        #expect(first.fillOffsets == again.fillOffsets)
        #expect(first.fillOffsets.count == FillSimulation.runs)
        let forecast = PipelineForecast(
            openings: 20, by: Self.today.adding(months: 12), today: Self.today, recruits: recruits, history: history, policy: Self.policy)
        let other = PipelineForecast(
            openings: 20, by: Self.today.adding(months: 12), today: Self.today, recruits: recruits.reversed(), history: history, policy: Self.policy)
        #expect(forecast == other)
        #expect(forecast.chance?.percent == first.chance(by: Self.today.adding(months: 12)))
    }

    @Test("the chance never falls as the date moves out, the curve is month ends, and more openings are never likelier to be filled")
    func chanceShape() {
        var g = SeededGenerator(seed: 13)
        let (recruits, history) = Self.department(&g)
        let twenty = FillSimulation(openings: 20, recruits: recruits, history: history, policy: Self.policy, today: Self.today)
        let thirty = FillSimulation(openings: 30, recruits: recruits, history: history, policy: Self.policy, today: Self.today)
        let curve = twenty.curve()
        #expect(curve.count >= 12)
        #expect(curve.map(\.percent) == curve.map(\.percent).sorted())
        #expect(curve.allSatisfy { $0.by.adding(days: 1).components.day == 1 })
        #expect(curve.first?.by == Day("2026-07-31"))
        for point in curve { #expect(thirty.chance(by: point.by) <= point.percent) }
        #expect(twenty.chance(by: Self.today.adding(days: -1)) == 0)
        #expect((0...100).contains(twenty.chance(by: Self.today.adding(days: 3000))))
    }

    @Test("with a certain yield and no stage history, every recruit is released on the date policy expects: 0% the day before, 100% on it")
    func certainPipeline() {
        // Each started field training the program's length before the day policy releases them.
        let program = Self.policy.fieldTraining.totalMinimumWeeks * 7
        let recruits = (1...5).map { index in
            let release = Self.today.adding(days: 30 * index)
            return PipelineRecruit(
                trainee: "r-\(index)", stage: .fieldTraining, enteredStageOn: release.adding(days: -program),
                releaseEarliest: release, releaseLeadDays: 0)
        }
        let history = PipelineHistory(released: 10)
        let forecast = PipelineForecast(openings: 5, today: Self.today, recruits: recruits, history: history, policy: Self.policy)
        let filled = forecast.filledBy ?? Self.today
        #expect(filled == Self.today.adding(days: 150))
        #expect(forecast.chance == FillChance(by: filled, percent: 100))
        let simulation = FillSimulation(openings: 5, recruits: recruits, history: history, policy: Self.policy, today: Self.today)
        #expect(simulation.chance(by: filled.adding(days: -1)) == 0)
        // Stage lengths longer than policy's push releases out; shorter ones never pull them in.
        var slow = history
        slow.stageDays[.fieldTraining] = [400: 5]
        #expect(FillSimulation(openings: 5, recruits: recruits, history: slow, policy: Self.policy, today: Self.today).chance(by: filled) == 0)
        var fast = history
        fast.stageDays[.fieldTraining] = [1: 5]
        #expect(FillSimulation(openings: 5, recruits: recruits, history: fast, policy: Self.policy, today: Self.today).chance(by: filled) == 100)
    }

    @Test("per-stage yields: recruits further along count only the separations from their stage on")
    func stageYields() {
        let history = PipelineHistory(released: 10, separatedFrom: [.hired: 5, .academy: 5, .fieldTraining: 2])
        #expect(history.yield(policy: Self.thick).decided == 22)
        #expect(history.yield(from: .academy, policy: Self.thick).decided == 17)
        #expect(history.yield(from: .academyGraduated, policy: Self.thick).decided == 12)
        #expect(history.yield(from: .fieldTraining, policy: Self.thick).decided == 12)
    }
}
