import TrainingDomain
import TrainingRecords

// The academy: classes (enrollment, recycling, graduation) and learning-domain test results.

/// `academy.csv`: `enroll` (the class's start date; class, academy, optional source),
/// `recycle` (to_class, reason) and `graduate`.
struct AcademyFile: BackfillFile {
    static let name = "academy.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "event", "date"], optional: ["class", "academy", "source", "to_class", "reason"])

    enum Event { case enroll, recycle, graduate }

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let date = try row.requiredDay("date")
        let (stage, command): (BackfillStage, TrainingCommand) =
            switch try row.choice("event", ["enroll": Event.enroll, "recycle": .recycle, "graduate": .graduate]) {
            case .enroll:
                (
                    .enrollment,
                    .enrollInAcademy(
                        classNumber: try row.required("class", for: "enroll"), academy: try row.required("academy", for: "enroll"), start: date,
                        source: row.text("source"))
                )
            case .recycle:
                (
                    .recycle,
                    .recycleAcademy(
                        toClass: try row.required("to_class", for: "recycle"), reason: try row.required("reason", for: "recycle"), on: date)
                )
            case .graduate: (.graduation, .graduateAcademy(on: date))
            }
        return [try mapping.step(row, 0, stage, on: "date", .record(command, on: .trainee(trainee)))]
    }
}

/// `academy_tests.csv`: one attempt a row; a retest is another row.
struct AcademyTestsFile: BackfillFile {
    static let name = "academy_tests.csv"
    static let columns = BackfillColumns(
        required: ["trainee", "domain", "test", "date", "result", "instructor"], optional: ["score", "source"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let command = TrainingCommand.recordAcademyTest(
            test: AcademyTestKey(domain: try row.required("domain"), test: try row.required("test")),
            passed: try row.choice("result", ["pass": true, "fail": false]), score: try row.number("score"),
            instructor: try row.required("instructor"), on: try row.requiredDay("date"), source: row.text("source"))
        return [try mapping.step(row, 0, .academyTest, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}
