import ArgumentParser
import Foundation
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

// Command staff's and the sergeant's boards, answered from the read models: pipeline,
// readiness, expiring, forecast, queue, fto-workload.

extension Muster {
    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pipeline", abstract: "How many recruits are at each stage.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let rows = try await options.database.withReadModels { try await $0.pipeline() }
            if options.json { return try Output.json(rows) }
            Output.table(["STAGE", "COUNT"], rows.map { [$0.stage.replacingOccurrences(of: "_", with: " "), "\($0.count)"] })
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expiring",
            abstract: "Coursework overdue, never completed or lapsing soon, and probation end dates coming up.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var window: BoardWindow
        func run() async throws {
            let (days, limit) = try window.checked(defaultDays: 90)
            let rows = try await options.database.withReadModels { try await $0.expiring(withinDays: days, limit: limit) }
            if options.json { return try Output.json(rows) }
            Output.table(["WHO", "NAME", "WHAT", "DUE", "STATUS"], rows.map { [$0.person, $0.name, $0.item, $0.due ?? "-", $0.status] })
        }
    }

    struct ReadinessBoard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readiness", abstract: "Trainees expected to reach solo patrol within a window, and what still blocks them.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var window: BoardWindow
        func run() async throws {
            let (days, limit) = try window.checked(defaultDays: 30)
            let rows = try await options.database.withReadModels { try await $0.readiness(withinDays: days, limit: limit) }
            if options.json { return try Output.json(rows) }
            Output.table(
                ["TRAINEE", "NAME", "PHASE", "EXPECTED SOLO", "BLOCKERS"],
                rows.map {
                    [
                        $0.trainee, "\($0.name) (\($0.badge))", $0.phase.map(String.init) ?? "-", "\($0.expectedSolo) (\($0.daysAway)d)",
                        ($0.attention.map { "NEEDS ATTENTION: \($0)" } + $0.blockers).joined(separator: "; ").nonEmpty ?? "none",
                    ]
                })
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue",
            abstract: "The training sergeant's queue: phase evaluations and sign-offs, remedial training, probation reviews, "
                + "DORs awaiting the trainee's signature and FTO updates, due within a window or overdue.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var window: BoardWindow
        func run() async throws {
            let (days, limit) = try window.checked(defaultDays: 7)
            let rows = try await options.database.withReadModels { try await $0.sergeantQueue(withinDays: days, limit: limit) }
            if options.json { return try Output.json(rows) }
            Output.table(
                ["WHO", "NAME", "DUE", "ITEM"],
                rows.map {
                    [$0.trainee ?? $0.person, $0.name, "\($0.due) (\($0.daysLeft < 0 ? "\(-$0.daysLeft)d overdue" : "in \($0.daysLeft)d"))", $0.item]
                })
        }
    }

    struct Workload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fto-workload", abstract: "Trainees per FTO in their current phase.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let rows = try await options.database.withReadModels { try await $0.ftoWorkload() }
            if options.json { return try Output.json(rows) }
            Output.table(["FTO", "TRAINEES", "NAMES"], rows.map { [$0.fto, "\($0.trainees)", $0.names] })
        }
    }

    struct Forecast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forecast",
            abstract: "When the pipeline fills N openings, how many more to hire, and the chance all are filled by a date.",
            discussion: """
                Everyone on the way to solo patrol counts: hires not yet enrolled, academy recruits, graduates waiting for
                field training and trainees. The yield so far (released to solo patrol ÷ decided) says which recruit fills
                each opening and how many to hire; a simulation over the stage lengths and attrition seen so far gives
                the chance.
                """)
        @OptionGroup var options: GlobalOptions
        @Option(parsing: .unconditional, help: "Openings to fill (1 to 100000).") var openings = CheckedText("30")
        @Option(parsing: .unconditional, help: "Give the chance all are filled by this date (YYYY-MM-DD, today or later).")
        var by: CheckedText?

        /// Bad input is refused before anything opens, as one line naming the option.
        func validate() throws { _ = try Self.openings(openings.text) }

        func run() async throws {
            let openings = try Self.openings(self.openings.text)
            let by = try by.map { try Self.date($0.text, today: Muster.clock.today) }
            let forecast = try await options.database.withReadModels { try await $0.forecast(openings: openings, by: by) }
            if options.json { return try Output.json(forecast) }
            ForecastReport(forecast: forecast).print()
        }

        static func openings(_ text: String) throws -> Int {
            guard let value = Int(text) else {
                throw UserError("--openings must be a whole number of positions to fill, not \"\(text.prefix(40))\": give e.g. --openings 30")
            }
            guard (1...100_000).contains(value) else {
                throw UserError("--openings must be 1 to 100000 (got \(value)): give how many positions to fill, e.g. --openings 30")
            }
            return value
        }

        static func date(_ text: String, today: Day) throws -> Day {
            guard let day = Day(text) else {
                throw UserError("--by must be a date written YYYY-MM-DD, not \"\(text.prefix(40))\": give e.g. --by \(today.adding(months: 12))")
            }
            guard day >= today else {
                throw UserError("--by \(day) is in the past (today is \(today)): give today or a later date, e.g. --by \(today.adding(months: 12))")
            }
            return day
        }
    }
}

/// The forecast for people: the pipeline, the yield, when each opening fills, how many to hire,
/// and the chance by month as a bar chart.
struct ForecastReport {
    let forecast: PipelineForecast

    func print() {
        let f = forecast
        let stages = f.pipeline.map { "\($0.stage.label) \($0.recruits)" }.joined(separator: ", ")
        say("\(f.inPipeline) recruits in the pipeline (\(stages))")
        say("yield: \(f.yield.summary)")
        if f.short == 0 {
            say("\(f.openings) openings: the pipeline is expected to fill all of them by \(f.filledBy ?? f.today)")
        } else {
            say("\(f.openings) openings: the pipeline is expected to fill \(f.filledByPipeline); \(f.short) short")
            if let hires = f.hires {
                say("hire about \(hires) more (\(f.short) short ÷ \(f.yield.numerator)/\(f.yield.denominator) yield, rounded up)")
                say("a recruit hired today is expected on solo patrol about \(f.hireReleasedAbout)")
            } else {
                say("hiring cannot be sized: no recruit decided so far was released to solo patrol")
            }
        }
        Swift.print("")
        Output.table(["OPENINGS", "EXPECTED TO FILL"], Self.groups(f.schedule).map { [$0.openings, $0.expected] })
        Swift.print("")
        if let chance = f.chance {
            say("chance all \(f.openings) filled by \(chance.by): \(chance.percent)% (\(f.simulatedRuns) simulated runs)")
        }
        say("chance all \(f.openings) filled, by the end of each month:")
        say("  (each run keeps a recruit with the yield of their own stage and draws the stage lengths seen so far, never shorter than policy;")
        say("   the dates above apply the overall yield to every recruit)")
        for point in f.curve {
            let width = 40
            let filled = point.percent * width / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let percent = String(point.percent)
            say("  \(String(point.by.description.prefix(7)))  \(bar) \(String(repeating: " ", count: 3 - percent.count))\(percent)%")
        }
    }

    /// Consecutive openings expected the same day, as one line.
    static func groups(_ schedule: [PipelineForecast.Opening]) -> [(openings: String, expected: String)] {
        var groups: [(first: Int, last: Int, expected: Day?)] = []
        for opening in schedule {
            if let last = groups.last, last.expected == opening.expected {
                groups[groups.count - 1].last = opening.opening
            } else {
                groups.append((opening.opening, opening.opening, opening.expected))
            }
        }
        return groups.map { group in
            (
                group.first == group.last ? "\(group.first)" : "\(group.first)–\(group.last)",
                group.expected?.description ?? "not by the pipeline: hires needed"
            )
        }
    }
}

extension PipelineStage {
    /// How boards name the stage.
    var label: String {
        switch self {
        case .hired: "not yet enrolled"
        case .academy: "in the academy"
        case .academyGraduated: "waiting for field training"
        case .fieldTraining: "in field training"
        }
    }
}

/// Text the user typed for an option, checked when the command runs (so a bad value is one line
/// naming the option, the rule and the fix).
struct CheckedText: ExpressibleByArgument, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
    init?(argument: String) { text = argument }
    var defaultValueDescription: String { text }
}

/// How far ahead a board looks and how many rows it lists (most urgent first).
struct BoardWindow: ParsableArguments {
    @Option(parsing: .unconditional, help: "Window: a number of days, e.g. 90d (default: 90d expiring, 30d readiness, 7d queue).")
    var within: DayWindow?
    @Option(parsing: .unconditional, help: "At most this many rows.") var limit = Bounded<RowLimit>(1000)

    /// Bad input is refused before anything opens, as one line naming the option.
    func validate() throws { _ = try checked(defaultDays: 0) }

    /// The window in days and the row limit; a bad value is one line naming the option.
    func checked(defaultDays: Int) throws -> (days: Int, limit: Int) {
        do {
            return (try within?.checked("--within") ?? defaultDays, try limit.checked("--limit"))
        } catch let error as ValidationError {
            throw UserError(error.message)
        }
    }
}

extension String {
    /// `nil` for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
