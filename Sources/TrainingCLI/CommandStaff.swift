import ArgumentParser
import EventLog
import EventLogPostgres
import Foundation
import TrainingProjections
import TrainingServices

/// Parses `90d` or `90` as days.
func parseDays(_ text: String, _ option: String) throws -> Int {
    let digits = text.hasSuffix("d") ? String(text.dropLast()) : text
    guard let days = Int(digits), days >= 0 else { throw ValidationError("\(option) must be a number of days, e.g. 90d") }
    return days
}

extension Muster {
    struct Projections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep the read models (status boards) in step with the log.", subcommands: [Run.self, Status.self, Rebuild.self])
    }

    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many recruits are at each stage.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let queries = try await MusterDatabase(url: options.databaseURL).readModels()
            let rows = try await queries.pipeline()
            if options.json { return try Output.json(rows) }
            Output.table(["STAGE", "COUNT"], rows.map { [$0.stage.replacingOccurrences(of: "_", with: " "), "\($0.count)"] })
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Coursework overdue, never completed or lapsing soon, and probation end dates coming up.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Window, e.g. 90d.") var within = "90d"
        func validate() throws { _ = try parseDays(within, "--within") }
        func run() async throws {
            let queries = try await MusterDatabase(url: options.databaseURL).readModels()
            let rows = try await queries.expiring(withinDays: try parseDays(within, "--within"))
            if options.json { return try Output.json(rows) }
            Output.table(["WHO", "NAME", "WHAT", "DUE", "STATUS"], rows.map { [$0.person, $0.name, $0.item, $0.due ?? "-", $0.status] })
        }
    }

    struct ReadinessBoard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readiness", abstract: "Trainees expected to reach solo patrol within a window, and what still blocks them.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Window, e.g. 30d.") var within = "30d"
        func validate() throws { _ = try parseDays(within, "--within") }
        func run() async throws {
            let queries = try await MusterDatabase(url: options.databaseURL).readModels()
            let rows = try await queries.readiness(withinDays: try parseDays(within, "--within"))
            if options.json { return try Output.json(rows) }
            Output.table(
                ["TRAINEE", "NAME", "PHASE", "EXPECTED SOLO", "BLOCKERS"],
                rows.map {
                    [$0.trainee, "\($0.name) (\($0.badge))", $0.phase.map(String.init) ?? "-", "\($0.expectedSolo) (\($0.daysAway)d)",
                     $0.blockers.isEmpty ? "none" : $0.blockers.joined(separator: "; ")]
                })
        }
    }
}

extension Muster.Projections {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply new events to the read models (--follow keeps running, woken by NOTIFY).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keep running and follow new events.") var follow = false
        func run() async throws {
            let database = MusterDatabase(url: options.databaseURL)
            let runner = try await database.projectionRunner()
            let applied = try await runner.runUntilCaughtUp { Output.note("applied \($0) events") }
            if !follow {
                await runner.close()
                return options.json ? try Output.json(["applied": applied]) : print("caught up: applied \(applied) events")
            }
            Output.note("caught up; following (Ctrl-C to stop)")
            // The subscription wakes on NOTIFY (and polls as a fallback); each wake-up applies
            // whatever is new, in batches.
            let store = try await database.openStore()
            for try await _ in store.subscribe(after: .start) {
                let applied = try await runner.runUntilCaughtUp()
                if applied > 0 { Output.note("applied \(applied) events") }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The read models' checkpoint and how far behind the log they are.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let status = try await MusterDatabase(url: options.databaseURL).readModels().projectionStatus()
            if options.json { return try Output.json(status) }
            print("checkpoint \(status.checkpoint); \(status.behind) events not yet applied")
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refill the read models from the whole log into fresh tables, then swap them in.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let runner = try await MusterDatabase(url: options.databaseURL).projectionRunner()
            let folded = try await runner.rebuild { Output.note("folded \($0) events") }
            await runner.close()
            options.json ? try Output.json(["folded": folded]) : print("rebuilt from \(folded) events and swapped in")
        }
    }
}
