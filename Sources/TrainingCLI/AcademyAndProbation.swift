import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

extension Muster {
    struct Academy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Academy: enroll, record test results, graduate, recycle.", subcommands: [Enroll.self, Test.self, Graduate.self, Recycle.self])
    }

    struct Probation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probation: start, review, extend (before the end date), complete.", subcommands: [Start.self, Review.self, Extend.self, Complete.self])
    }

    struct Course: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a course completion for a trainee or an officer.")
        @OptionGroup var options: RecordOptions
        @Option(help: "Trainee id (or use --officer).") var trainee: String?
        @Option(help: "Officer id (or use --trainee).") var officer: String?
        @Option(help: "Course type, e.g. use_of_force, implicit_bias.") var type: String
        @Option(help: "Course title.") var title: String
        @Option(help: "Hours.") var hours: Double
        @Option(help: "Provider.") var provider: String
        @Option(help: "Instructor who reviewed it (required for implicit bias).") var instructor: String?
        @Option(help: "Certificate reference.") var certificate: String?
        func validate() throws {
            guard (trainee == nil) != (officer == nil) else { throw ValidationError("give exactly one of --trainee or --officer") }
        }
        func run() async throws {
            let reference: FileReference = trainee.map { .trainee(TraineeID($0)) } ?? .officer(OfficerID(officer!))
            try await perform(options, on: reference) { _, day, _ in
                .recordCourse(
                    courseType: Category(type), title: title, hours: hours, provider: provider, instructor: instructor, completedOn: day,
                    certificateReference: certificate)
            }
        }
    }

    struct FTO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "FTO qualification: the 40-hour course, 3-yearly updates, AB 26 bars.", subcommands: [Qualify.self, Update.self, Prohibit.self])
    }

    struct Separate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a separation (resigned, released, terminated, failed_academy, retired).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "How they left.") var kind: String
        @Option(help: "Why.") var reason: String
        func validate() throws {
            guard SeparationKind(rawValue: kind) != nil else {
                throw ValidationError("--kind must be one of \(SeparationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .separate(kind: SeparationKind(rawValue: kind)!, reason: reason, on: day) }
        }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct an entry: record its corrected content (JSON, same kind) with a reason. The original stays on record.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "The entry corrected.") var entry: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The entry's corrected content as JSON (see `muster history --json` for the original).") var data: String
        func run() async throws {
            let reference = FileReference.trainee(TraineeID(trainee))
            let services = try await MusterDatabase(url: options.global.databaseURL).services()
            let original = try await services.training.load(reference).file.entry(EntryID(entry))
            await services.close()
            guard let original else { throw UserError("trainee \(trainee) has no entry \(entry); see `muster history \(trainee)`") }
            let replacement: TrainingEvent
            do {
                replacement = try EventCodec.decode(type: original.type, schemaVersion: EventCodec.currentSchemaVersion(of: original.type), json: Data(data.utf8))
            } catch {
                throw ValidationError("--data is not a valid \(original.type): \(error)")
            }
            try await perform(options, on: reference) { _, day, _ in .correctEntry(entry: EntryID(entry), reason: reason, replacement: replacement, on: day) }
        }
    }

    struct Retract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retract an entry with a reason. The original stays on record.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "The entry retracted.") var entry: String
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .retractEntry(entry: EntryID(entry), reason: reason, on: day) }
        }
    }
}

extension Muster.Academy {
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enroll a recruit in an academy class.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(name: .customLong("class"), help: "Class number.") var classNumber: String
        @Option(help: "Academy name.") var academy: String
        @Option(help: "Class start date YYYY-MM-DD.") var start: String
        @Option(help: "Where the record comes from (e.g. an import from another presenter).") var source: String?
        func validate() throws { _ = try parseDay(start, "--start") }
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, _, _ in
                .enrollInAcademy(classNumber: classNumber, academy: academy, start: try parseDay(start, "--start"), source: source)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an academy test result (attempts are counted).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Learning domain, e.g. \"LD 20\".") var domain: String
        @Option(help: "Test within the domain, e.g. written, scenario.") var test: String
        @Flag(exclusivity: .exclusive, help: "Result.") var result: Outcome
        @Option(help: "Score 0–100.") var score: Double?
        @Option(help: "Instructor.") var instructor: String
        @Option(help: "Source of an imported result.") var source: String?

        enum Outcome: String, EnumerableFlag { case pass, fail }

        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .recordAcademyTest(
                    test: AcademyTestKey(domain: domain, test: test), passed: result == .pass, score: score, instructor: instructor, on: day,
                    source: source)
            }
        }
    }

    struct Graduate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record academy graduation (every required test passed).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .graduateAcademy(on: day) }
        }
    }

    struct Recycle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recycle a recruit into a later class.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(name: .customLong("to-class"), help: "The later class.") var toClass: String
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .recycleAcademy(toClass: toClass, reason: reason, on: day) }
        }
    }
}

extension Muster.Probation {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start probation (--date is the start; the end follows policy).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .startProbation(start: day) }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a probation review.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Months into probation (3, 6, 9, 12).") var interval: Int
        @Option(help: "satisfactory, needs_improvement or unsatisfactory.") var outcome: String
        @Option(help: "Notes.") var notes: String
        func validate() throws {
            guard ReviewOutcome(rawValue: outcome) != nil else {
                throw ValidationError("--outcome must be one of \(ReviewOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .reviewProbation(interval: interval, outcome: ReviewOutcome(rawValue: outcome)!, notes: notes, on: day)
            }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extend probation; must be recorded before the current end date.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "New end date YYYY-MM-DD.") var newEnd: String
        @Option(help: "Why.") var reason: String
        func validate() throws { _ = try parseDay(newEnd, "--new-end") }
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .extendProbation(newEnd: try parseDay(newEnd, "--new-end"), reason: reason, on: day)
            }
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Complete probation: permanent status.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .completeProbation(on: day) }
        }
    }
}

extension Muster.FTO {
    struct Qualify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the 40-hour FTO course (--date is the course date).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Officer id.") var officer: String
        func run() async throws {
            try await perform(options, on: .officer(OfficerID(officer))) { _, day, _ in .qualifyFTO(courseDate: day) }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the 24-hour FTO update.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Officer id.") var officer: String
        func run() async throws {
            try await perform(options, on: .officer(OfficerID(officer))) { _, day, _ in .recordFTOUpdate(date: day) }
        }
    }

    struct Prohibit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bar an officer from training others (AB 26) from --date until --until.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Officer id.") var officer: String
        @Option(help: "Last day of the bar, YYYY-MM-DD.") var until: String
        @Option(help: "Why.") var reason: String
        func validate() throws { _ = try parseDay(until, "--until") }
        func run() async throws {
            try await perform(options, on: .officer(OfficerID(officer))) { _, day, _ in
                .prohibitFTO(from: day, until: try parseDay(until, "--until"), reason: reason)
            }
        }
    }
}
