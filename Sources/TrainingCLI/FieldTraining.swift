import ArgumentParser
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct FieldTraining: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ft", abstract: "Field training: FTOs, daily observation reports, remedial training, phases, solo release.",
            subcommands: [
                Start.self, AssignFTO.self, DOR.self, Acknowledge.self, Rebut.self, Task.self, Remedial.self, ExtendPhase.self,
                CompletePhase.self, Attest.self, RequestRelease.self, Concur.self, Decline.self, Weekly.self, Orientation.self,
                AcknowledgeTask.self, EndOfPhase.self, EvaluatePhase.self, CompletionRecordCommand.self, TrackingSheet.self,
            ])
    }
}

extension Muster.FieldTraining {
    struct Start: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start field training (after academy graduation).")
        @OptionGroup var target: TraineeRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .startFieldTraining(on: day) }
    }

    struct AssignFTO: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "assign-fto", abstract: "Assign an FTO to the current phase.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "The FTO's user id.") var fto: OfficerID
        @Option(parsing: .unconditional, help: "Phase number.") var phase: Bounded<PhaseNumber>
        func validate() throws { _ = try phase.checked("--phase") }
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .assignFTO(fto: fto, phase: phase.value, on: day)
        }
    }

    struct DOR: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "dor", abstract: "File a Daily Observation Report as the FTO (--as).",
            discussion: """
                Ratings: --rating report_writing=4 (repeat), or --ratings-file FILE: a JSON object {"report_writing": 4, "radio_use": "N/O"} \
                or a CSV file with a header row category,rating. 1–7, N/O, NRT. A file is all or nothing.
                """)
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "CATEGORY=RATING; repeat for each category.") var rating: [String] = []
        @Option(help: "JSON or CSV file of ratings (all or nothing).") var ratingsFile: String?
        @Option(help: "Narrative (required for ratings below 4, above 5, or NRT).") var narrative = ""
        func command(on day: Day, by actor: Actor, services: Services) throws -> TrainingCommand {
            .fileDailyObservation(fto: actor.id, shiftDate: day, ratings: try RatingsInput.parse(rating, file: ratingsFile), narrative: narrative)
        }
    }

    struct Acknowledge: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "The trainee signs a DOR, or (--refused) an FTO or sergeant notes the refusal.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "The DOR's entry id.") var entry: EntryID
        @Flag(help: "Record a refusal to sign (needs --note).") var refused = false
        @Option(help: "Note, e.g. who witnessed the refusal.") var note: String?
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .acknowledgeDailyObservation(report: entry, signed: !refused, note: note, on: day)
        }
    }

    struct Rebut: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "rebut", abstract: "The trainee files a written rebuttal to an entry.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "The entry rebutted.") var entry: EntryID
        @Option(help: "The rebuttal.") var text: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .fileRebuttal(entry: entry, text: text, on: day) }
    }

    struct Task: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "task", abstract: "Sign off a checklist task seen by the FTO (--as).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Checklist item, e.g. felony_vehicle_stop.") var task: String
        @Option(help: "Call or case reference.") var call: String?
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .signOffTask(task: task, fto: actor.id, callReference: call, on: day)
        }
    }

    struct Remedial: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "remedial", abstract: "Assign remedial training, or close it (--complete ENTRY / --fail ENTRY).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Category to remediate (to assign).") var category: String?
        @Option(help: "Due date YYYY-MM-DD (to assign).") var due: Day?
        @Option(help: "The plan (to assign).") var plan: String?
        @Option(help: "Complete this remedial item.") var complete: EntryID?
        @Option(help: "Record this remedial item as failed.") var fail: EntryID?
        @Option(help: "Notes when closing.") var notes = ""
        func validate() throws {
            let modes = [category != nil, complete != nil, fail != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give either --category/--due/--plan, or --complete ENTRY, or --fail ENTRY") }
            if category != nil, due == nil || plan == nil { throw ValidationError("assigning needs --due and --plan") }
        }
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            switch (category, due, plan, complete, fail) {
            case (_, _, _, let complete?, _): .completeRemedial(remedial: complete, notes: notes, on: day)
            case (_, _, _, _, let fail?): .failRemedial(remedial: fail, notes: notes, on: day)
            case (let category?, let due?, let plan?, _, _): .assignRemedial(category: Category(category), due: due, plan: plan, on: day)
            default: preconditionFailure("validate() admits exactly one mode")
            }
        }
    }

    struct ExtendPhase: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "extend-phase", abstract: "Extend the current phase.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(parsing: .unconditional, help: "Phase number.") var phase: Bounded<PhaseNumber>
        @Option(parsing: .unconditional, help: "Weeks added.") var weeks: Bounded<WeekCount>
        @Option(help: "Why.") var reason: String
        func validate() throws {
            _ = try phase.checked("--phase")
            _ = try weeks.checked("--weeks")
        }
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .extendPhase(phase: phase.value, weeks: weeks.value, reason: reason, on: day)
        }
    }

    struct CompletePhase: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "complete-phase", abstract: "Sign off a phase (training sergeant).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(parsing: .unconditional, help: "Phase number.") var phase: Bounded<PhaseNumber>
        @Option(help: "Why it ends before its minimum length, if it does.") var earlyReason: String?
        func validate() throws { _ = try phase.checked("--phase") }
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .completePhase(phase: phase.value, on: day, earlyCompletionReason: earlyReason)
        }
    }

    struct Attest: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(commandName: "attest", abstract: "The FTO (--as) attests to the trainee's competence.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Attestation statement.") var statement: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .attestCompetency(fto: actor.id, statement: statement, on: day)
        }
    }

    struct RequestRelease: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-release",
            abstract: "Ask the chief (or a designee) to concur in a release to solo patrol (training sergeant); every gate must hold.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Release statement.") var statement: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .requestSoloRelease(on: day, releaseStatement: statement)
        }
    }

    struct Concur: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "concur",
            abstract: "Concur in a requested release to solo patrol, as the chief or a designee (--as): the release is recorded now.")
        @OptionGroup var target: TraineeRecordOptions
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .concurInSoloRelease(on: day) }
    }

    struct Decline: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "decline", abstract: "Decline a requested release to solo patrol (chief or designee).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .declineSoloRelease(reason: reason, on: day) }
    }

    struct Weekly: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "weekly",
            abstract: "File the Supervisor's Weekly Report (--date is the week's end).",
            discussion: "Categories are the policy's evaluation categories (`muster policy show`); repeat --strength and --needs-improvement.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Summary of the week.") var summary: String
        @Option(help: "A category performed at or above standard (repeat).") var strength: [String] = []
        @Option(help: "A category that needs improvement (repeat; needs --plan).") var needsImprovement: [String] = []
        @Option(help: "The training plan for next week.") var plan = ""
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .reportSupervisorWeekly(
                weekEnding: day,
                report: WeeklyReportContent(
                    summary: summary, strengths: strength.map { Category($0) }, needsImprovement: needsImprovement.map { Category($0) },
                    plan: plan))
        }
    }
}

// The program's own records: orientation, the checklist's second signature, End of Phase and
// Phase Evaluation Reports, and the completion record.
extension Muster.FieldTraining {
    struct Orientation: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "orientation",
            abstract: "Record the agency orientation (POST: at least a week) from --from to --date (its last day).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "First day of orientation, YYYY-MM-DD.") var from: Day
        @Option(help: "A topic covered (repeat).") var topic: [String] = []
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand {
            .recordOrientation(from: from, to: day, topics: topic)
        }
    }

    struct AcknowledgeTask: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack-task", abstract: "The trainee (--as) acknowledges a checklist task the FTO signed.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "Checklist item, e.g. felony_vehicle_stop.") var task: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .acknowledgeTask(task: task, on: day) }
    }

    /// Ratings, strengths, weaknesses, recommendation and narrative: what both phase reports hold.
    struct PhaseReportOptions: ParsableArguments {
        @Option(parsing: .unconditional, help: "Phase number.") var phase: Bounded<PhaseNumber>
        @Option(help: "CATEGORY=RATING; repeat for each category.") var rating: [String] = []
        @Option(help: "JSON or CSV file of ratings (all or nothing).") var ratingsFile: String?
        @Option(help: "A category performed at or above standard (repeat).") var strength: [String] = []
        @Option(help: "A category that needs improvement (repeat).") var needsImprovement: [String] = []
        @Option(help: "advance, extend, remedial or terminate.") var recommend: PhaseRecommendation
        @Option(help: "Narrative.") var narrative: String

        func validate() throws { _ = try phase.checked("--phase") }

        func content() throws -> PhaseReportContent {
            PhaseReportContent(
                ratings: try RatingsInput.parse(rating, file: ratingsFile), strengths: strength.map { Category($0) },
                needsImprovement: needsImprovement.map { Category($0) }, recommendation: recommend, narrative: narrative)
        }
    }

    struct EndOfPhase: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "end-of-phase", abstract: "The phase's FTO (--as) files the End of Phase Report.")
        @OptionGroup var target: TraineeRecordOptions
        @OptionGroup var report: PhaseReportOptions
        func command(on day: Day, by actor: Actor, services: Services) throws -> TrainingCommand {
            .reportEndOfPhase(phase: report.phase.value, fto: actor.id, report: try report.content(), on: day)
        }
    }

    struct EvaluatePhase: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate-phase",
            abstract: "The Phase Evaluation Report, by the sergeant or an FTO who did not train the phase (--as); sign-off needs it.")
        @OptionGroup var target: TraineeRecordOptions
        @OptionGroup var report: PhaseReportOptions
        func command(on day: Day, by actor: Actor, services: Services) throws -> TrainingCommand {
            .evaluatePhase(phase: report.phase.value, evaluator: actor.id, report: try report.content(), on: day)
        }
    }

    struct CompletionRecordCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "completion-record",
            abstract: "The field training completion record: the FTO's attestation, the release statement, the chief's concurrence.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID

        func run() async throws {
            let record = try await options.database.withServices { services in
                let file = try await services.training.load(.trainee(trainee)).file
                let day = file.fieldTraining?.soloClearance?.on ?? services.today
                let policy = try await services.training.policies().policy(on: day)
                let coordinator = try await services.training.roster().coordinator?.user
                return CompletionRecord.of(file, policy: policy, coordinator: coordinator)
            }
            guard let record else { throw UserError("\(trainee) has not started field training; there is no completion record yet") }
            if options.json { return try Output.json(record) }
            say("FIELD TRAINING COMPLETION RECORD — \(record.name) (\(record.badge)), \(record.agency)")
            say("\(record.program)")
            if let coordinator = record.coordinator { say("program coordinator (SAC): \(coordinator)") }
            say("field training started \(record.fieldTrainingStarted); orientation \(record.orientation ?? "not recorded")")
            Output.table(
                ["PHASE", "NAME", "STARTED", "SIGNED OFF", "FTOS", "EVALUATED"],
                record.phases.map { phase in
                    [
                        "\(phase.number)", phase.name, "\(phase.started)", phase.completed.map { "\($0)" } ?? "—",
                        phase.ftos.joined(separator: ", "),
                        phase.evaluatedBy.map { "\($0) on \(phase.evaluatedOn.map { "\($0)" } ?? "") (\(phase.recommendation ?? ""))" } ?? "—",
                    ]
                })
            for (title, signature) in [
                ("FTO's attestation of competence", record.attestation), ("Release requested", record.releaseRequest),
                ("Department head's concurrence", record.concurrence),
            ] {
                guard let signature else { continue }
                say("\(title): \(signature.by) (\(signature.role)) on \(signature.on): \(signature.statement)")
            }
            say("\(record.isComplete ? "complete" : "incomplete: missing \(record.missing.joined(separator: "; "))")")
        }
    }
}
