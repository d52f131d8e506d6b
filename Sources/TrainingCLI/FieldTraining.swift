import ArgumentParser
import TrainingDomain
import TrainingServices

extension Muster {
    struct FieldTraining: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ft", abstract: "Field training: FTOs, daily observation reports, remedial training, phases, solo release.",
            subcommands: [
                Start.self, AssignFTO.self, DOR.self, Acknowledge.self, Rebut.self, Task.self, Remedial.self, ExtendPhase.self,
                CompletePhase.self, Attest.self, ClearSolo.self, Weekly.self,
            ])
    }
}

extension Muster.FieldTraining {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start field training (after academy graduation).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .startFieldTraining(on: day) }
        }
    }

    struct AssignFTO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "assign-fto", abstract: "Assign an FTO to the current phase.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "The FTO's user id.") var fto: String
        @Option(help: "Phase number.") var phase: Int
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .assignFTO(fto: OfficerID(fto), phase: phase, on: day) }
        }
    }

    struct DOR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dor", abstract: "File a Daily Observation Report as the FTO (--as).",
            discussion: "Ratings: --rating report_writing=4 (repeat), or --ratings-file FILE (JSON object or CSV category,rating). 1–7, N/O, NRT.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "CATEGORY=RATING; repeat for each category.") var rating: [String] = []
        @Option(help: "JSON or CSV file of ratings (all or nothing).") var ratingsFile: String?
        @Option(help: "Narrative (required for ratings below 4, above 5, or NRT).") var narrative = ""
        func run() async throws {
            let ratings = try parseRatings(rating, file: ratingsFile)
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, actor in
                .fileDailyObservation(fto: actor.id, shiftDate: day, ratings: ratings, narrative: narrative)
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "The trainee signs a DOR, or (--refused) an FTO or sergeant notes the refusal.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "The DOR's entry id.") var entry: String
        @Flag(help: "Record a refusal to sign (needs --note).") var refused = false
        @Option(help: "Note, e.g. who witnessed the refusal.") var note: String?
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .acknowledgeDailyObservation(report: EntryID(entry), signed: !refused, note: note, on: day)
            }
        }
    }

    struct Rebut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The trainee files a written rebuttal to an entry.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "The entry rebutted.") var entry: String
        @Option(help: "The rebuttal.") var text: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .fileRebuttal(entry: EntryID(entry), text: text, on: day) }
        }
    }

    struct Task: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign off a checklist task seen by the FTO (--as).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Checklist item, e.g. felony_vehicle_stop.") var task: String
        @Option(help: "Call or case reference.") var call: String?
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, actor in
                .signOffTask(task: task, fto: actor.id, callReference: call, on: day)
            }
        }
    }

    struct Remedial: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign remedial training, or close it (--complete ENTRY / --fail ENTRY).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Category to remediate (to assign).") var category: String?
        @Option(help: "Due date YYYY-MM-DD (to assign).") var due: String?
        @Option(help: "The plan (to assign).") var plan: String?
        @Option(help: "Complete this remedial item.") var complete: String?
        @Option(help: "Record this remedial item as failed.") var fail: String?
        @Option(help: "Notes when closing.") var notes = ""
        func validate() throws {
            let modes = [category != nil, complete != nil, fail != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give either --category/--due/--plan, or --complete ENTRY, or --fail ENTRY") }
            if category != nil {
                guard let due, plan != nil else { throw ValidationError("assigning needs --due and --plan") }
                _ = try parseDay(due, "--due")
            }
        }
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                if let complete { return .completeRemedial(remedial: EntryID(complete), notes: notes, on: day) }
                if let fail { return .failRemedial(remedial: EntryID(fail), notes: notes, on: day) }
                return .assignRemedial(category: Category(category!), due: try parseDay(due!, "--due"), plan: plan!, on: day)
            }
        }
    }

    struct ExtendPhase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "extend-phase", abstract: "Extend the current phase.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Phase number.") var phase: Int
        @Option(help: "Weeks added.") var weeks: Int
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .extendPhase(phase: phase, weeks: weeks, reason: reason, on: day) }
        }
    }

    struct CompletePhase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "complete-phase", abstract: "Sign off a phase (training sergeant).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Phase number.") var phase: Int
        @Option(help: "Why it ends before its minimum length, if it does.") var earlyReason: String?
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .completePhase(phase: phase, on: day, earlyCompletionReason: earlyReason)
            }
        }
    }

    struct Attest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The FTO (--as) attests to the trainee's competence.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Attestation statement.") var statement: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, actor in
                .attestCompetency(fto: actor.id, statement: statement, on: day)
            }
        }
    }

    struct ClearSolo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-solo", abstract: "Release to solo patrol (training sergeant) with the chief's or designee's concurrence.")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Release statement.") var statement: String
        @Option(help: "User id of the chief or designee who concurred.") var concurredBy: String
        func run() async throws {
            let services = try await MusterDatabase(url: options.global.databaseURL).services()
            let concurrer = try await services.users.resolve(OfficerID(concurredBy))
            await services.close()
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in
                .clearSoloPatrol(on: day, releaseStatement: statement, concurredBy: concurrer.id, concurrerRole: concurrer.role)
            }
        }
    }

    struct Weekly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File the supervisor's weekly report (--date is the week's end).")
        @OptionGroup var options: RecordOptions
        @Argument(help: "Trainee id.") var trainee: String
        @Option(help: "Summary.") var summary: String
        func run() async throws {
            try await perform(options, on: .trainee(TraineeID(trainee))) { _, day, _ in .reportSupervisorWeekly(weekEnding: day, summary: summary) }
        }
    }
}
