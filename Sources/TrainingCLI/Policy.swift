import ArgumentParser
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "The agency's training policy, as data: show the one in force, adopt a new one from a day on.",
            subcommands: [Show.self, Guidelines.self, Adopt.self])
    }
}

extension Muster.Policy {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
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
            let training = policy.fieldTraining
            say("\(policy.name) (in force on \(day): \(identity))")
            say(
                "\(training.program): \(training.orientationWeeks) week(s) of orientation, then \(training.phases.count) phases, at least \(training.totalMinimumWeeks) weeks"
            )
            Output.table(["PHASE", "NAME", "MINIMUM WEEKS"], training.phases.map { ["\($0.number)", $0.name, "\($0.minimumWeeks)"] })
            let scale = training.ratingScale
            let labels = scale.labels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let every = training.everyCategoryRated ? "; every category rated or N/O" : ""
            say(
                "\nratings \(scale.rangeText) (\(labels)), N/O, NRT; acceptable from \(training.acceptableRating); a narrative below \(training.narrativeRequiredBelow) or above \(training.narrativeRequiredAbove)\(every)"
            )
            say(
                "categories (`muster policy guidelines` shows what each rating means): \(training.categories.map(\.rawValue).joined(separator: ", "))"
            )
            say("\nchecklist (signed by the FTO\(training.traineeAcknowledgesTasks ? ", acknowledged by the trainee" : ""))")
            Output.table(
                ["SECTION", "TASK", "TITLE", "REQUIRED"],
                training.checklist.flatMap { section in section.tasks.map { [section.name, $0.id, $0.title, $0.required ? "yes" : "no"] } })
            print("")
            Output.table(
                ["COURSE", "VALID (MONTHS)", "WARNING (DAYS)", "MINIMUM HOURS", "DURING ACADEMY"],
                policy.courses.map {
                    [$0.type.rawValue, "\($0.validityMonths)", "\($0.warningDays)", "\($0.minimumHours)", $0.requiredDuringAcademy ? "yes" : "no"]
                })
            let eligibility = policy.ftoEligibility
            let certificate = eligibility.requiresBasicCertificate ? ", a POST Basic Certificate" : ""
            let patrol = eligibility.minimumPatrolMonths > 0 ? ", \(eligibility.minimumPatrolMonths) months of uniformed patrol" : ""
            say("\nFTOs: the 40-hour course, the update every \(policy.ftoUpdateEveryMonths) months\(certificate)\(patrol)")
            let maximum = policy.probation.maximumMonths.map { ", at most \($0) months with extensions" } ?? ""
            let from = policy.probation.startsAt == .hire ? "hire" : "solo release"
            say("probation: \(policy.probation.months) months from \(from), reviews every \(policy.probation.reviewIntervalMonths)\(maximum)")
            let overridable = policy.plausibility.overridable.map(\.rawValue)
            say("plausibility checks that may be overridden with a reason: \(overridable.isEmpty ? "none" : overridable.joined(separator: ", "))")
        }
    }

    struct Guidelines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "guidelines",
            abstract: "The Standardized Evaluation Guidelines in force: what each category covers and what its anchor ratings mean.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "One category (default: all).") var category: String?
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: Day?

        func run() async throws {
            let policy = try await options.database.withServices { services in
                try await services.training.policies().policy(on: on ?? services.today)
            }
            let training = policy.fieldTraining
            let categories = category.map { [Category($0)] } ?? training.categories
            guard categories.allSatisfy(training.categories.contains) else {
                throw UserError("\(category ?? "") is not an evaluation category of the policy; `muster policy show` lists them")
            }
            let guides = categories.map { ($0, training.guidelines[$0]) }
            struct Row: Encodable {
                var category: String
                var summary: String?
                var anchors: [Int: String]
            }
            if options.json {
                return try Output.json(guides.map { Row(category: $0.rawValue, summary: $1?.summary, anchors: $1?.anchors ?? [:]) })
            }
            for (category, guide) in guides {
                say("\(category.rawValue): \(guide?.summary ?? "(no guideline text in this policy)")")
                for (rating, text) in (guide?.anchors ?? [:]).sorted(by: { $0.key < $1.key }) { say("  \(rating)  \(text)") }
            }
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopt",
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
            _ = try await retryingWhenUnreachable(provenance) {
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
