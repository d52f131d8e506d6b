import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

extension Muster {
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed",
            abstract: "Load data: a realistic demo department.", subcommands: [Demo.self, Synthetic.self])
    }
}

extension Muster.Seed {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Load a deterministic department (3 academy classes, ~30 recruits) into an empty database, dated relative to today.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            let summary = try await options.database.withServices { services in
                guard try await services.training.roster().isEmpty else {
                    throw UserError("the database already has users; seed an empty database (scripts/demo makes a fresh one)")
                }
                return try await DemoSeeder(service: services.training).seed { Output.note("seeding \($0)") }
            }
            if options.json { return try Output.json(summary) }
            say("seeded \(summary.recruits) recruits with \(summary.entries) entries")
        }
    }

    struct Synthetic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synthetic",
            abstract: "Bulk-load synthetic agencies for benchmarks (COPY; valid hash chains), with progress.")
        @OptionGroup var options: GlobalOptions
        @Option(parsing: .unconditional, help: "Number of agencies.") var agencies = Bounded<AgencyCount>(10)
        @Option(parsing: .unconditional, help: "Officers in all (every 20th a recruit).") var officers = Bounded<PeopleCount>(10_000)
        func validate() throws {
            let agencies = try agencies.checked("--agencies")
            guard try officers.checked("--officers") >= agencies else { throw ValidationError("--officers must be at least one per agency") }
        }
        func run() async throws {
            let database = options.database
            let started = Date()
            let loaded = try await database.syntheticSeeder().seed(agencies: agencies.value, officers: officers.value) { made, total in
                Output.note("seeded \(made) of \(total) officers and recruits")
            }
            let seconds = Date().timeIntervalSince(started)
            if options.json { return try Output.json(["events": loaded]) }
            say("loaded \(loaded) events in \(String(format: "%.1f", seconds)) s (\(Int(Double(loaded) / seconds)) events/s)")
        }
    }
}
