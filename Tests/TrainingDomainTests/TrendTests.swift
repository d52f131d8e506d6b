import Testing
import TrainingDomain

/// Per-category trends across a phase: the tracking sheet's figures, in integers.
@Suite struct TrendTests {
    static let start = Day("2026-03-02")!

    static func trend(_ cells: [Rating?]) -> CategoryTrend {
        CategoryTrend(
            phase: 1, category: "report_writing", cells: cells.enumerated().map { (start.adding(days: $0.offset), $0.element) })
    }

    static func scores(_ values: Int...) -> [Rating?] { values.map { .score($0) } }

    @Test(
        "direction, first, last and mean (× 100, rounded half up) of a category's scores",
        arguments: [
            (scores(3, 3, 4, 4, 5), CategoryTrend.Direction.improving, 3, 5, 380),
            (scores(6, 5, 5, 4, 3), .declining, 6, 3, 460),
            (scores(4, 5, 4, 5, 4, 5), .steady, 4, 5, 450),
            (scores(4, 4, 4, 4), .steady, 4, 4, 400),
            (scores(4, 4, 5), .improving, 4, 5, 433),
            (scores(3, 4, 4), .improving, 3, 4, 367),
            (scores(4, 4, 4, 5), .improving, 4, 5, 425),
        ])
    func figures(cells: [Rating?], direction: CategoryTrend.Direction, first: Int, last: Int, mean: Int) {
        let trend = Self.trend(cells)
        #expect(trend.direction == direction)
        #expect(trend.first == first)
        #expect(trend.last == last)
        #expect(trend.meanTimes100 == mean)
        #expect(trend.scored == cells.count)
    }

    @Test("N/O, NRT and blanks stay in the cells but out of the figures; a gap keeps the shifts' spacing")
    func marksIgnored() {
        let trend = Self.trend([.score(3), .notObserved, nil, .notRespondingToTraining, .score(4), .score(5)])
        #expect(trend.cells.count == 6)
        #expect(trend.shifts.count == 6)
        #expect(trend.cells[1] == .notObserved && trend.cells[2] == nil && trend.cells[3] == .notRespondingToTraining)
        #expect(trend.scored == 3)
        #expect(trend.first == 3 && trend.last == 5)
        #expect(trend.meanTimes100 == 400)
        #expect(trend.direction == .improving)
    }

    @Test("fewer than three scores, or none, give no direction")
    func notEnoughData() {
        #expect(Self.trend(Self.scores(2, 6)).direction == .notEnoughData)
        let unobserved = Self.trend([.notObserved, .notObserved, .notObserved, .notObserved])
        #expect(unobserved.direction == .notEnoughData)
        #expect(unobserved.meanTimes100 == nil && unobserved.first == nil && unobserved.scored == 0)
    }

    @Test("a fitted change under half a point across the phase is steady; half a point or more is a direction")
    func threshold() {
        // Slope 1/20 over 10 shifts: the line moves 0.45 of a point.
        #expect(Self.trend(Self.scores(4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5)).direction == .steady)
        // A low start as well: the line moves 0.9 of a point.
        #expect(Self.trend(Self.scores(3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5)).direction == .improving)
        #expect(Self.trend(Self.scores(5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3)).direction == .declining)
    }

    @Test("a trainee's trends: every phase with DORs, categories in the policy's order, shifts by date")
    func fromFile() {
        var s = Scenario.inFieldTraining()
        let categories = s.policy.fieldTraining.categories
        let start = Scenario.fieldTrainingStart
        // Filed out of date order: the sheet orders shifts by date.
        for (offset, value) in [(9, 5), (2, 3), (5, 4)] {
            var ratings = Scenario.acceptable()
            ratings["report_writing"] = .score(value)
            ratings["radio_use"] = .notObserved
            s.given(
                .fileDailyObservation(
                    fto: Scenario.fto1.id, shiftDate: start.adding(days: offset), ratings: ratings, narrative: "Report writing noted."),
                as: Scenario.fto1)
        }
        let trends = CategoryTrend.trends(s.file.fieldTraining!, policy: s.policy.fieldTraining)
        #expect(trends.map(\.category) == categories)
        #expect(trends.allSatisfy { $0.phase == 1 && $0.shifts == [2, 5, 9].map { start.adding(days: $0) } })
        let writing = trends.first { $0.category == "report_writing" }!
        #expect(writing.cells == [.score(3), .score(4), .score(5)])
        #expect(writing.direction == .improving)
        let radio = trends.first { $0.category == "radio_use" }!
        #expect(radio.scored == 0 && radio.direction == .notEnoughData)
    }
}
