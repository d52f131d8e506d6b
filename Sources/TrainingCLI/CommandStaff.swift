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
        @Option(help: "At most this many rows (most urgent first).") var limit = 1000
        func validate() throws { _ = try parseDays(within, "--within") }
        func run() async throws {
            let queries = try await MusterDatabase(url: options.databaseURL).readModels()
            let rows = try await queries.expiring(withinDays: try parseDays(within, "--within"), limit: limit)
            if options.json { return try Output.json(rows) }
            Output.table(["WHO", "NAME", "WHAT", "DUE", "STATUS"], rows.map { [$0.person, $0.name, $0.item, $0.due ?? "-", $0.status] })
        }
    }

    struct ReadinessBoard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readiness", abstract: "Trainees expected to reach solo patrol within a window, and what still blocks them.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Window, e.g. 30d.") var within = "30d"
        @Option(help: "At most this many rows (soonest first).") var limit = 1000
        func validate() throws { _ = try parseDays(within, "--within") }
        func run() async throws {
            let queries = try await MusterDatabase(url: options.databaseURL).readModels()
            let rows = try await queries.readiness(withinDays: try parseDays(within, "--within"), limit: limit)
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

extension Muster {
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The training sergeant's queue: phase evaluations due and remedial training due or overdue.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Window, e.g. 7d.") var within = "7d"
        func validate() throws { _ = try parseDays(within, "--within") }
        func run() async throws {
            let rows = try await MusterDatabase(url: options.databaseURL).readModels().sergeantQueue(withinDays: try parseDays(within, "--within"))
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
            let rows = try await MusterDatabase(url: options.databaseURL).readModels().ftoWorkload()
            if options.json { return try Output.json(rows) }
            Output.table(["FTO", "TRAINEES", "NAMES"], rows.map { [$0.fto, "\($0.trainees)", $0.names] })
        }
    }

    struct Forecast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "When the pipeline will have released N recruits to solo patrol (policy lengths, attrition so far).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Openings to fill.") var openings = 30
        func validate() throws { guard openings > 0 else { throw ValidationError("--openings must be at least 1") } }
        func run() async throws {
            let forecast = try await MusterDatabase(url: options.databaseURL).readModels().forecast(openings: openings)
            if options.json { return try Output.json(forecast) }
            print("\(forecast.inPipeline) recruits in the pipeline; attrition so far \(Int((forecast.attrition * 100).rounded()))%")
            if let date = forecast.filledBy {
                print("\(openings) openings filled by about \(date)")
            } else {
                print("the pipeline cannot fill \(openings) openings: hire about \(forecast.shortfall) more (a hire today takes the academy plus field training)")
            }
        }
    }
}

extension Muster {
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load data: a realistic demo department.", subcommands: [Demo.self, Synthetic.self])
    }
}

extension Muster.Seed {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a deterministic department (3 academy classes, ~30 recruits) into an empty database, dated relative to today.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let services = try await MusterDatabase(url: options.databaseURL).services()
            guard try await services.users.all().isEmpty else {
                await services.close()
                throw UserError("the database already has users; seed an empty database (scripts/demo makes a fresh one)")
            }
            let seeder = DemoSeeder(service: services.training, users: services.users, today: services.today)
            let summary: DemoSeeder.Summary
            do {
                summary = try await seeder.seed { Output.note("seeding \($0)") }
            } catch {
                await services.close()
                throw error
            }
            await services.close()
            if options.json { return try Output.json(summary) }
            print("seeded \(summary.recruits) recruits with \(summary.entries) entries")
        }
    }
}

extension Muster.Seed {
    struct Synthetic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bulk-load synthetic agencies for benchmarks (COPY; valid hash chains), with progress.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Number of agencies.") var agencies = 10
        @Option(help: "Officers in all (every 20th a recruit).") var officers = 10_000
        func validate() throws {
            guard agencies > 0, officers >= agencies else { throw ValidationError("need at least one agency and one officer per agency") }
        }
        func run() async throws {
            let database = MusterDatabase(url: options.databaseURL)
            let started = Date()
            let loaded = try await database.syntheticSeeder(today: EntryMapping.day(Date())).seed(agencies: agencies, officers: officers) { made, total in
                Output.note("seeded \(made) of \(total) officers and recruits")
            }
            let seconds = Date().timeIntervalSince(started)
            if options.json { return try Output.json(["events": loaded]) }
            print(String(format: "loaded %d events in %.1f s (%.0f events/s)", loaded, seconds, Double(loaded) / seconds))
        }
    }
}
