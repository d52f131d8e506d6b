import TrainingDomain
import TrainingRecords

/// `probation.csv`: `start`, `review` (interval in months, outcome, notes), `extend` (new_end,
/// reason; `date` is the day the extension was signed) and `complete`.
struct ProbationFile: BackfillFile {
    static let name = "probation.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "event", "date"], optional: ["interval", "outcome", "notes", "new_end", "reason"])

    enum Event { case start, review, extend, complete }

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let date = try row.requiredDay("date")
        let (stage, command): (BackfillStage, TrainingCommand) =
            switch try row.choice("event", ["start": Event.start, "review": .review, "extend": .extend, "complete": .complete]) {
            case .start: (.probationStart, .startProbation(start: date))
            case .review:
                (
                    .probationReview,
                    .reviewProbation(
                        interval: try row.int("interval", for: "review"), outcome: try row.enumeration("outcome", ReviewOutcome.self),
                        notes: try row.required("notes", for: "review"), on: date)
                )
            case .extend:
                (
                    .probationExtension,
                    .extendProbation(
                        newEnd: try row.requiredDay("new_end", for: "extend"), reason: try row.required("reason", for: "extend"), on: date)
                )
            case .complete: (.probationCompletion, .completeProbation(on: date))
            }
        return [try mapping.step(row, 0, stage, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}
