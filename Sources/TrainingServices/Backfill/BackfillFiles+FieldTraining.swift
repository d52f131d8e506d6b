import TrainingDomain
import TrainingRecords

// Field training: the program's course (start, orientation, FTOs, extensions, sign-offs), the
// FTOs' daily observation reports and checklist, remedial training, weekly and phase reports,
// and the release to solo patrol.

/// `field_training.csv`: `start`, `orientation` (date to end_date, topics), `assign_fto` (fto,
/// phase), `extend_phase` (phase, weeks, reason), `complete_phase` (phase; reason when early).
struct FieldTrainingFile: BackfillFile {
    static let name = "field_training.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "event", "date"], optional: ["end_date", "topics", "fto", "phase", "weeks", "reason"])

    enum Event { case start, orientation, assignFTO, extendPhase, completePhase }

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let date = try row.requiredDay("date")
        let event = try row.choice(
            "event",
            [
                "start": Event.start, "orientation": .orientation, "assign_fto": .assignFTO, "extend_phase": .extendPhase,
                "complete_phase": .completePhase,
            ])
        func step(_ stage: BackfillStage, on dateField: String = "date", _ command: TrainingCommand) throws -> [BackfillStep] {
            [try mapping.step(row, 0, stage, on: dateField, .record(command, on: .trainee(trainee)))]
        }
        switch event {
        case .start:
            return try step(.fieldTrainingStart, .startFieldTraining(on: date))
        case .orientation:
            // Recorded on its last day.
            let end = try row.requiredDay("end_date", for: "orientation")
            return try step(.orientation, on: "end_date", .recordOrientation(from: date, to: end, topics: row.list("topics")))
        case .assignFTO:
            return try step(
                .ftoAssignment, .assignFTO(fto: try row.id("fto", for: "assign_fto"), phase: try row.int("phase", for: "assign_fto"), on: date))
        case .extendPhase:
            return try step(
                .phaseExtension,
                .extendPhase(
                    phase: try row.int("phase", for: "extend_phase"), weeks: try row.int("weeks", for: "extend_phase"),
                    reason: try row.required("reason", for: "extend_phase"), on: date))
        case .completePhase:
            return try step(
                .phaseCompletion,
                .completePhase(phase: try row.int("phase", for: "complete_phase"), on: date, earlyCompletionReason: row.text("reason")))
        }
    }
}

/// `dors.csv`: one Daily Observation Report a row, signed by its FTO (`signed_by`), one column
/// per evaluation category (1–7, N/O or NRT; blank: not rated). The trainee's signature, when
/// on the form: `acknowledged_on` (and `acknowledgment` = `refused` with `refusal_noted_by` and
/// a note when they refused).
struct DORsFile: BackfillFile {
    static let name = "dors.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "date"], optional: ["narrative", "acknowledged_on", "acknowledgment", "acknowledgment_note", "refusal_noted_by"],
        others: "category")

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let report = TrainingCommand.fileDailyObservation(
            fto: try row.id("signed_by"), shiftDate: try row.requiredDay("date"), ratings: try Ratings.read(row, besides: columns),
            narrative: row.text("narrative") ?? "")
        var steps = [try mapping.step(row, 0, .dor, on: "date", .record(report, on: .trainee(trainee)))]
        if row.text("acknowledged_on") != nil || row.text("acknowledgment") != nil {
            let signed = try row.optionalChoice("acknowledgment", ["signed": true, "refused": false]) ?? true
            let acknowledgement = TrainingCommand.acknowledgeDailyObservation(
                report: mapping.firstEntry(of: row), signed: signed, note: row.text("acknowledgment_note"),
                on: try row.requiredDay("acknowledged_on", for: "an acknowledgment"))
            // The trainee signs; a refusal is noted by the FTO or sergeant who saw it.
            let signer = signed ? "trainee" : "refusal_noted_by"
            if !signed { _ = try row.required("refusal_noted_by", for: "a refused acknowledgment") }
            steps.append(
                try mapping.step(row, 1, .dorAcknowledgement, on: "acknowledged_on", signer: signer, .record(acknowledgement, on: .trainee(trainee))))
        }
        return steps
    }
}

/// `rebuttals.csv`: the trainee's written rebuttal to a DOR (`entry`: its row's `ref`, or an
/// entry id on record), signed by the trainee.
struct RebuttalsFile: BackfillFile {
    static let name = "rebuttals.csv"
    static let columns = BackfillColumns(required: ["trainee", "date", "entry", "text"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let command = TrainingCommand.fileRebuttal(
            entry: try mapping.entry(row, "entry"), text: try row.required("text"), on: try row.requiredDay("date"))
        return [try mapping.step(row, 0, .rebuttal, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}

/// `tasks.csv`: a checklist task signed off by the FTO who saw it (`signed_by`), and the
/// trainee's acknowledgement (`acknowledged_on`).
struct TasksFile: BackfillFile {
    static let name = "tasks.csv"
    static let columns = BackfillColumns(required: ["trainee", "task", "date"], optional: ["call_reference", "acknowledged_on"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let task = try row.required("task")
        let signOff = TrainingCommand.signOffTask(
            task: task, fto: try row.id("signed_by"), callReference: row.text("call_reference"), on: try row.requiredDay("date"))
        var steps = [try mapping.step(row, 0, .taskSignOff, on: "date", .record(signOff, on: .trainee(trainee)))]
        if let acknowledged = try row.day("acknowledged_on") {
            steps.append(
                try mapping.step(
                    row, 1, .taskAcknowledgement, on: "acknowledged_on", signer: "trainee",
                    .record(.acknowledgeTask(task: task, on: acknowledged), on: .trainee(trainee))))
        }
        return steps
    }
}

/// `remedial.csv`: remedial training assigned (category, due, plan), and when closed,
/// `closed_on` with `outcome` completed or failed (`closed_by`, default: who assigned it).
struct RemedialFile: BackfillFile {
    static let name = "remedial.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "category", "date", "due", "plan"], optional: ["closed_on", "outcome", "notes", "closed_by"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let assign = TrainingCommand.assignRemedial(
            category: Category(try row.required("category")), due: try row.requiredDay("due"), plan: try row.required("plan"),
            on: try row.requiredDay("date"))
        var steps = [try mapping.step(row, 0, .remedialAssignment, on: "date", .record(assign, on: .trainee(trainee)))]
        if row.text("closed_on") != nil || row.text("outcome") != nil {
            let closedOn = try row.requiredDay("closed_on", for: "closing remedial training")
            let notes = row.text("notes") ?? ""
            let remedial = mapping.firstEntry(of: row)
            let close: TrainingCommand =
                try row.choice("outcome", ["completed": true, "failed": false], for: "closing remedial training")
                ? .completeRemedial(remedial: remedial, notes: notes, on: closedOn) : .failRemedial(remedial: remedial, notes: notes, on: closedOn)
            let signer = row.text("closed_by") == nil ? "signed_by" : "closed_by"
            steps.append(try mapping.step(row, 1, .remedialClosing, on: "closed_on", signer: signer, .record(close, on: .trainee(trainee))))
        }
        return steps
    }
}

/// `weekly_reports.csv`: the Supervisor's Weekly Report (`date` is the week's end).
struct WeeklyReportsFile: BackfillFile {
    static let name = "weekly_reports.csv"
    static let columns = BackfillColumns(required: ["trainee", "date", "summary"], optional: ["strengths", "needs_improvement", "plan"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let report = WeeklyReportContent(
            summary: try row.required("summary"), strengths: row.list("strengths").map { Category($0) },
            needsImprovement: row.list("needs_improvement").map { Category($0) }, plan: row.text("plan") ?? "")
        let command = TrainingCommand.reportSupervisorWeekly(weekEnding: try row.requiredDay("date"), report: report)
        return [try mapping.step(row, 0, .weeklyReport, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}

/// `phase_reports.csv`: End of Phase Reports (`report` = `end_of_phase`, by the phase's FTO)
/// and Phase Evaluation Reports (`evaluation`, by the evaluator), one column per category.
struct PhaseReportsFile: BackfillFile {
    static let name = "phase_reports.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "report", "phase", "date", "recommendation", "narrative"], optional: ["strengths", "needs_improvement"],
        others: "category")

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let evaluation = try row.choice("report", ["end_of_phase": false, "evaluation": true])
        let author: OfficerID = try row.id("signed_by")
        let phase = try row.int("phase")
        let date = try row.requiredDay("date")
        let content = PhaseReportContent(
            ratings: try Ratings.read(row, besides: columns), strengths: row.list("strengths").map { Category($0) },
            needsImprovement: row.list("needs_improvement").map { Category($0) },
            recommendation: try row.enumeration("recommendation", PhaseRecommendation.self), narrative: try row.required("narrative"))
        let command: TrainingCommand =
            evaluation
            ? .evaluatePhase(phase: phase, evaluator: author, report: content, on: date)
            : .reportEndOfPhase(phase: phase, fto: author, report: content, on: date)
        return [
            try mapping.step(
                row, 0, evaluation ? .phaseEvaluation : .endOfPhaseReport, on: "date", .record(command, on: .trainee(try row.id("trainee"))))
        ]
    }
}

/// `releases.csv`: the completion record: the FTO's `attest` (statement), the sergeant's
/// `request` (release statement), the chief's or designee's `concur` or `decline` (reason).
struct ReleasesFile: BackfillFile {
    static let name = "releases.csv"
    static let columns = BackfillColumns(required: ["trainee", "event", "date"], optional: ["statement", "reason"])

    enum Event { case attest, request, concur, decline }

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let date = try row.requiredDay("date")
        let (stage, command): (BackfillStage, TrainingCommand) =
            switch try row.choice("event", ["attest": Event.attest, "request": .request, "concur": .concur, "decline": .decline]) {
            case .attest:
                (.attestation, .attestCompetency(fto: try row.id("signed_by"), statement: try row.required("statement", for: "attest"), on: date))
            case .request: (.releaseRequest, .requestSoloRelease(on: date, releaseStatement: try row.required("statement", for: "request")))
            case .concur: (.releaseDecision, .concurInSoloRelease(on: date))
            case .decline: (.releaseDecision, .declineSoloRelease(reason: try row.required("reason", for: "decline"), on: date))
            }
        return [try mapping.step(row, 0, stage, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}

/// Ratings from a row's category columns: every column the file does not name otherwise is a
/// category (the policy says which exist); a blank cell is not rated.
enum Ratings {
    static func read(_ row: BackfillRow, besides columns: BackfillColumns) throws -> [Category: Rating] {
        let named = Set(columns.required + columns.optional)
        var ratings: [Category: Rating] = [:]
        for (column, text) in row.values where !named.contains(column) {
            guard let rating = Rating(text: text) else {
                throw row.error(column, "\"\(text.prefix(40))\" is not a rating (a whole number, N/O or NRT)")
            }
            ratings[Category(column)] = rating
        }
        return ratings
    }
}
