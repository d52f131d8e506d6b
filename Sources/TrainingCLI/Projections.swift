import ArgumentParser
import EventLog
import EventLogPostgres
import TrainingProjections
import TrainingServices

extension Muster {
    struct Projections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "projections",
            abstract: "Keep the read models (status boards) in step with the log.", subcommands: [Run.self, Status.self, Rebuild.self])
    }
}

extension Muster.Projections {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Apply new events to the read models (--follow keeps running, woken by NOTIFY).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Keep running and follow new events.") var follow = false
        @Option(parsing: .unconditional, help: "Events per transaction.") var batch = Bounded<RowLimit>(1000)
        func validate() throws { _ = try batch.checked("--batch") }
        func run() async throws {
            let database = options.database
            let size = batch.value
            if follow {
                // The subscription wakes on NOTIFY (and polls as a fallback); each wake-up applies
                // whatever is new, in batches.
                return try await database.followProjections(
                    batch: size, caughtUp: { Output.note("caught up; following (Ctrl-C to stop)") },
                    applied: { Output.note("applied \($0) events") })
            }
            let applied = try await database.withProjectionRunner { runner in
                try await runner.runUntilCaughtUp(batch: size) { Output.note("applied \($0) events") }
            }
            options.json ? try Output.json(["applied": applied]) : say("caught up: applied \(applied) events")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "The read models' checkpoint and how far behind the log they are.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let status = try await options.database.withReadModels { try await $0.projectionStatus() }
            if options.json { return try Output.json(status) }
            say("checkpoint \(status.checkpoint); \(status.behind) events not yet applied")
            if let holder = status.horizonHeldBy {
                say(
                    "readers are waiting for transaction of pid \(holder.pid) (\(holder.application.isEmpty ? "no application name" : holder.application), user \(holder.user), \(holder.state), open \(holder.ageSeconds) s): nothing committed after it started is read until it ends"
                )
            }
            if !status.quarantined.isEmpty {
                say("\(status.quarantined.count) entries cannot be read and need a system administrator's decision (muster events resolve):")
                Output.table(
                    ["STREAM", "VERSION", "TYPE", "FIRST SEEN", "WHY"],
                    status.quarantined.map { [$0.stream, "\($0.version)", $0.type, Output.date($0.firstSeen), $0.reason] })
            }
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild", abstract: "Refill the read models from the whole log into fresh tables, then swap them in.")
        @OptionGroup var options: GlobalOptions
        @Option(parsing: .unconditional, help: "Ranges of streams read in parallel, each on two connections (default: one per core, at most 8).")
        var workers = Bounded<RebuildWorkers>(ProjectionRunner.defaultRebuildWorkers)
        func validate() throws { _ = try workers.checked("--workers") }
        func run() async throws {
            let count = workers.value
            let folded = try await options.database.withProjectionRunner { runner in
                try await runner.rebuild(workers: count) { Output.note("folded \($0) events") }
            }
            options.json ? try Output.json(["folded": folded]) : say("rebuilt from \(folded) events and swapped in")
        }
    }
}

/// Parallel readers for a rebuild.
enum RebuildWorkers: NumberBounds { static let range = 1...32 }
