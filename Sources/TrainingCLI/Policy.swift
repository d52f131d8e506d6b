import ArgumentParser
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The agency's training policy, as data: show the one in force, adopt a new one from a day on.",
            subcommands: [Show.self, Adopt.self])
    }
}

extension Muster.Policy {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The policy in force on a day (default: today); --json prints it whole, as `policy adopt` reads it.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: Day?

        func run() async throws {
            let (policy, day, identity) = try await options.database.withServices { services in
                let book = try await services.training.policies()
                let day = on ?? services.today
                return (book.policy(on: day), day, book.identity(on: day))
            }
            if options.json { return try Output.json(policy) }
            say("\(policy.name) (in force on \(day): \(identity))")
            Output.table(
                ["PHASE", "NAME", "MINIMUM WEEKS"], policy.fieldTraining.phases.map { ["\($0.number)", $0.name, "\($0.minimumWeeks)"] })
            print("")
            Output.table(
                ["COURSE", "VALID (MONTHS)", "WARNING (DAYS)", "MINIMUM HOURS"],
                policy.courses.map { [$0.type.rawValue, "\($0.validityMonths)", "\($0.warningDays)", "\($0.minimumHours)"] })
            say("\nDOR categories: \(policy.fieldTraining.categories.map(\.rawValue).joined(separator: ", "))")
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adopt a policy (a JSON file shaped like `muster policy show --json`) from a day on (chief, designee or command staff).")
        @OptionGroup var acting: ActingOptions
        @Argument(help: "The policy file (JSON).") var file: String
        @Option(help: "The day it takes effect, YYYY-MM-DD.") var effective: Day

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw UserError("cannot read \(file)") }
            let policy: TrainingPolicy
            do {
                policy = try JSONDecoder().decode(TrainingPolicy.self, from: data)
            } catch {
                throw UserError("\(file) is not a training policy: \(EventCodec.describe(error)); start from `muster policy show --json`")
            }
            let provenance = acting.provenance
            try await retryingWhenUnreachable(provenance) {
                try await acting.global.database.withServices { services in
                    try await services.training.adopt(
                        policy, effective: effective, by: try await services.actor(acting.actingUser), provenance: provenance)
                }
            }
            if acting.global.json { return try Output.json(["policy": policy.name, "effective": effective.description]) }
            say("adopted \(policy.name) from \(effective)")
        }
    }
}
