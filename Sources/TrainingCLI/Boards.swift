import ArgumentParser
import Foundation
import TrainingProjections
import TrainingServices

// Command staff's and the sergeant's boards, answered from the read models: pipeline,
// readiness, expiring, forecast, queue, fto-workload.

extension Muster {
    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many recruits are at each stage.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let rows = try await options.database.withReadModels { try await $0.pipeline() }
            if options.json { return try Output.json(rows) }
            Output.table(["STAGE", "COUNT"], rows.map { [$0.stage.replacingOccurrences(of: "_", with: " "), "\($0.count)"] })
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Coursework overdue, never completed or lapsing soon, and probation end dates coming up.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var window: BoardWindow
        func run() async throws {
            let (days, limit) = (window.days(default: 90), window.limit.value)
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
            let (days, limit) = (window.days(default: 30), window.limit.value)
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
            abstract: "The training sergeant's queue: phase evaluations due and remedial training due or overdue.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var window: BoardWindow
        func run() async throws {
            let days = window.days(default: 7)
            let rows = try await options.database.withReadModels { try await $0.sergeantQueue(withinDays: days) }
            if options.json { return try Output.json(rows) }
            Output.table(
                ["TRAINEE", "NAME", "DUE", "ITEM"],
                rows.map { [$0.trainee, $0.name, "\($0.due) (\($0.daysLeft < 0 ? "\(-$0.daysLeft)d overdue" : "in \($0.daysLeft)d"))", $0.item] })
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
            abstract: "When the pipeline will have released N recruits to solo patrol (policy lengths, attrition so far).")
        @OptionGroup var options: GlobalOptions
        @Option(parsing: .unconditional, help: "Openings to fill.") var openings = Bounded<Openings>(30)
        func validate() throws { _ = try openings.checked("--openings") }
        func run() async throws {
            let forecast = try await options.database.withReadModels { try await $0.forecast(openings: openings.value) }
            if options.json { return try Output.json(forecast) }
            say("\(forecast.inPipeline) recruits in the pipeline; attrition so far \(Int((forecast.attrition * 100).rounded()))%")
            if let date = forecast.filledBy {
                say("\(openings.value) openings filled by about \(date)")
            } else {
                say(
                    "the pipeline cannot fill \(openings.value) openings: hire about \(forecast.shortfall) more (a hire today takes the academy plus field training)"
                )
            }
        }
    }
}

/// How far ahead a board looks and how many rows it lists (most urgent first).
struct BoardWindow: ParsableArguments {
    @Option(parsing: .unconditional, help: "Window: a number of days, e.g. 90d (default: 90d expiring, 30d readiness, 7d queue).")
    var within: DayWindow?
    @Option(parsing: .unconditional, help: "At most this many rows.") var limit = Bounded<RowLimit>(1000)

    func validate() throws {
        _ = try within?.checked("--within")
        _ = try limit.checked("--limit")
    }

    func days(default days: Int) -> Int { within?.days ?? days }
}

extension String {
    /// `nil` for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
