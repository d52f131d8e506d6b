import TrainingDomain
import TrainingRecords

// People: who may sign (users), officers' FTO eligibility and coursework, hiring, separation.

/// `users.csv`: everyone who signs anything in the import, registered first. The first user
/// of an empty database signs their own row (`signed_by` = `user`).
struct UsersFile: BackfillFile {
    static let name = "users.csv"
    static let columns = BackfillColumns(required: ["user", "name", "role", "date"], overridable: false)

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let action = BackfillStep.Action.register(
            user: try row.id("user"), name: try row.required("name"), role: try row.enumeration("role", Role.self))
        return [try mapping.step(row, 0, .registration, on: "date", action)]
    }
}

/// `fto.csv`: an officer's eligibility to train, one event a row.
struct FTOFile: BackfillFile {
    static let name = "fto.csv"
    static let columns = BackfillColumns(required: ["officer", "event", "date"], optional: ["certificate", "until", "reason"])

    enum Event { case basicCertificate, patrolStart, ftoCourse, ftoUpdate, prohibited }

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let officer: OfficerID = try row.id("officer")
        let date = try row.requiredDay("date")
        let event = try row.choice(
            "event",
            [
                "basic_certificate": Event.basicCertificate, "patrol_start": .patrolStart, "fto_course": .ftoCourse, "fto_update": .ftoUpdate,
                "prohibited": .prohibited,
            ])
        let (stage, command): (BackfillStage, TrainingCommand) =
            switch event {
            case .basicCertificate:
                (.basicCertificate, .awardBasicCertificate(certificate: try row.required("certificate", for: "basic_certificate"), on: date))
            case .patrolStart: (.patrolStart, .startPatrolAssignment(on: date))
            case .ftoCourse: (.ftoCourse, .qualifyFTO(courseDate: date))
            case .ftoUpdate: (.ftoUpdate, .recordFTOUpdate(date: date))
            case .prohibited:
                (
                    .ftoProhibited,
                    .prohibitFTO(
                        from: date, until: try row.requiredDay("until", for: "prohibited"), reason: try row.required("reason", for: "prohibited"))
                )
            }
        return [try mapping.step(row, 0, stage, on: "date", .record(command, on: .officer(officer)))]
    }
}

/// `courses.csv`: required coursework completed, on a trainee's or an officer's file.
struct CoursesFile: BackfillFile {
    static let name = "courses.csv"
    static let columns = BackfillColumns(
        required: ["course_type", "title", "hours", "provider", "date"], optional: ["trainee", "officer", "instructor", "certificate"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let person = try PersonColumns.reference(row)
        let command = TrainingCommand.recordCourse(
            courseType: CourseType(try row.required("course_type")), title: try row.required("title"), hours: try row.requiredNumber("hours"),
            provider: try row.required("provider"), instructor: row.text("instructor"), completedOn: try row.requiredDay("date"),
            certificateReference: row.text("certificate"))
        return [try mapping.step(row, 0, .course, on: "date", .record(command, on: person))]
    }
}

/// `hires.csv`: one recruit a row; `trainee` is the id the other files name them by.
struct HiresFile: BackfillFile {
    static let name = "hires.csv"
    static let columns = BackfillColumns(required: ["trainee", "name", "badge", "hire_date"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let trainee: TraineeID = try row.id("trainee")
        let command = TrainingCommand.hireRecruit(
            trainee: trainee, name: try row.required("name"), badge: try row.required("badge"), hireDate: try row.requiredDay("hire_date"),
            agency: mapping.agency)
        return [try mapping.step(row, 0, .hire, on: "hire_date", .record(command, on: .trainee(trainee)))]
    }
}

/// `separations.csv`: resignations, releases, terminations.
struct SeparationsFile: BackfillFile {
    static let name = "separations.csv"
    static let columns = BackfillColumns(required: ["trainee", "date", "kind", "reason"])

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let command = TrainingCommand.separate(
            kind: try row.enumeration("kind", SeparationKind.self), reason: try row.required("reason"), on: try row.requiredDay("date"))
        return [try mapping.step(row, 0, .separation, on: "date", .record(command, on: .trainee(try row.id("trainee"))))]
    }
}

/// Files whose rows name either a trainee or an officer.
enum PersonColumns {
    static func reference(_ row: BackfillRow) throws -> FileReference {
        switch (row.text("trainee"), row.text("officer")) {
        case (.some, nil): .trainee(try row.id("trainee"))
        case (nil, .some): .officer(try row.id("officer"))
        case (.some, .some): throw row.error("officer", "give either trainee or officer, not both")
        case (nil, nil): throw row.error("trainee", "is empty; give the trainee or the officer whose record this is")
        }
    }
}
