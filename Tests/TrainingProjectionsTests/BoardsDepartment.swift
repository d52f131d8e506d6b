import EventLog
import EventLogPostgres
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Records a small department through the service, dated relative to the database's day, under
/// the default policy (orientation, phase evaluations, every category rated, checklist
/// acknowledged, FTOs with a Basic Certificate and a year of patrol).
struct BoardsDepartment {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let chief = Actor(id: OfficerID("chief.perez"), role: .chief)
    static let instructor = Actor(id: OfficerID("inst.vance"), role: .academyInstructor)
    static let fto1 = Actor(id: OfficerID("fto.ramos"), role: .fto)
    static let fto2 = Actor(id: OfficerID("fto.chen"), role: .fto)
    /// Evaluates phases she does not train.
    static let evaluator = Actor(id: OfficerID("fto.adeyemi"), role: .fto)

    let service: TrainingService
    let today: Day
    var policy: TrainingPolicy { .pasadenaDefault }

    init(store: PostgresEventStore, today: Day) {
        service = TrainingService(store: store, agency: AgencyID("pasadena"), clock: .fixed(today))
        self.today = today
    }

    func day(_ offset: Int) -> Day { today.adding(days: offset) }

    @discardableResult
    func record(_ command: TrainingCommand, _ trainee: String, by actor: Actor = sergeant) async throws -> EntryID {
        let recorded = try await service.record(command, on: .trainee(TraineeID(trainee)), by: actor)
        return EntryMapping.entry(recorded[0]).id
    }

    func officer(_ command: TrainingCommand, _ officer: Actor) async throws {
        try await service.record(command, on: .officer(officer.id), by: Self.sergeant)
    }

    /// An FTO eligible on every day of the tests: certificate and patrol long ago, the FTO
    /// course `courseDaysAgo` days ago and no update since.
    func qualify(_ fto: Actor, courseDaysAgo: Int) async throws {
        try await officer(.awardBasicCertificate(certificate: "BC-\(fto.id)", on: day(-4000)), fto)
        try await officer(.startPatrolAssignment(on: day(-4000)), fto)
        try await officer(.qualifyFTO(courseDate: day(-courseDaysAgo)), fto)
    }

    func qualifyTrainingStaff() async throws {
        for fto in [Self.fto1, Self.fto2, Self.evaluator] { try await qualify(fto, courseDaysAgo: 900) }
    }

    func hire(_ id: String, name: String, daysAgo: Int) async throws {
        try await record(
            .hireRecruit(trainee: TraineeID(id), name: name, badge: "B-\(id)", hireDate: day(-daysAgo), agency: AgencyID("pasadena")), id)
    }

    func enroll(_ id: String, daysAgo: Int) async throws {
        try await record(.enrollInAcademy(classNumber: "OC-\(daysAgo)", academy: "OC", start: day(-daysAgo), source: nil), id)
    }

    func graduate(_ id: String, daysAgo: Int) async throws {
        for test in policy.academy.requiredTests {
            try await record(
                .recordAcademyTest(test: test, passed: true, score: 90, instructor: "Vance", on: day(-daysAgo - 5), source: nil), id,
                by: Self.instructor)
        }
        try await record(.graduateAcademy(on: day(-daysAgo)), id)
    }

    /// Hired, enrolled a week later, graduated after the academy, field training from `daysAgo`
    /// with `fto` in phase 1 and a week of orientation.
    func inFieldTraining(_ id: String, name: String, daysAgo: Int, fto: Actor = fto1) async throws {
        try await hire(id, name: name, daysAgo: daysAgo + 200)
        try await enroll(id, daysAgo: daysAgo + 193)
        try await graduate(id, daysAgo: daysAgo + 10)
        try await record(.startFieldTraining(on: day(-daysAgo)), id)
        try await record(.assignFTO(fto: fto.id, phase: 1, on: day(-daysAgo)), id)
        try await record(.recordOrientation(from: day(-daysAgo), to: day(-daysAgo + 4), topics: ["policies"]), id)
    }

    static func ratings(_ value: Int = 4, _ overrides: [Category: Rating] = [:]) -> [Category: Rating] {
        var ratings = Dictionary(uniqueKeysWithValues: TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { ($0, Rating.score(value)) })
        ratings.merge(overrides) { $1 }
        return ratings
    }

    @discardableResult
    func dor(_ id: String, daysAgo: Int, fto: Actor = fto1, ratings: [Category: Rating] = ratings()) async throws -> EntryID {
        try await record(
            .fileDailyObservation(fto: fto.id, shiftDate: day(-daysAgo), ratings: ratings, narrative: "Shift noted in detail."), id, by: fto)
    }

    func acknowledge(_ id: String, _ report: EntryID, daysAgo: Int) async throws {
        try await record(
            .acknowledgeDailyObservation(report: report, signed: true, note: nil, on: day(-daysAgo)), id,
            by: Actor(id: OfficerID(id), role: .trainee))
    }

    /// Field training from `daysAgo`, every phase at its minimum with three acknowledged DORs,
    /// evaluated and signed; the checklist signed and acknowledged, coursework current, attested,
    /// released with the chief's concurrence and on probation from that day. Returns the release day.
    @discardableResult
    func releasedToSolo(_ id: String, name: String, daysAgo: Int) async throws -> Day {
        try await inFieldTraining(id, name: name, daysAgo: daysAgo)
        var cursor = day(-daysAgo)
        for phase in policy.fieldTraining.phases {
            let fto = phase.number % 2 == 0 ? Self.fto2 : Self.fto1
            if phase.number > 1 { try await record(.assignFTO(fto: fto.id, phase: phase.number, on: cursor), id) }
            for shift in 0..<3 {
                let report = try await record(
                    .fileDailyObservation(
                        fto: fto.id, shiftDate: cursor.adding(days: 1 + shift * 7), ratings: Self.ratings(), narrative: "Solid shift."), id, by: fto)
                try await record(
                    .acknowledgeDailyObservation(report: report, signed: true, note: nil, on: cursor.adding(days: 1 + shift * 7)), id,
                    by: Actor(id: OfficerID(id), role: .trainee))
            }
            cursor = cursor.adding(days: phase.minimumWeeks * 7)
            let report = PhaseReportContent(
                ratings: Self.ratings(), recommendation: .advance, narrative: "Meets the solo standard in every category.")
            try await record(.evaluatePhase(phase: phase.number, evaluator: Self.evaluator.id, report: report, on: cursor), id, by: Self.evaluator)
            try await record(.completePhase(phase: phase.number, on: cursor, earlyCompletionReason: nil), id)
        }
        for task in policy.fieldTraining.requiredTasks {
            try await record(.signOffTask(task: task, fto: Self.fto1.id, callReference: "CAD-\(task)", on: cursor), id, by: Self.fto1)
            try await record(.acknowledgeTask(task: task, on: cursor), id, by: Actor(id: OfficerID(id), role: .trainee))
        }
        for (type, instructor) in [("use_of_force", nil), ("implicit_bias", "Lt. Gray")] as [(CourseType, String?)] {
            try await record(
                .recordCourse(
                    courseType: type, title: "\(type) refresher", hours: 4, provider: "PPD", instructor: instructor, completedOn: cursor,
                    certificateReference: nil), id)
        }
        try await record(.attestCompetency(fto: Self.fto1.id, statement: "Competent to patrol alone.", on: cursor), id, by: Self.fto1)
        try await record(.requestSoloRelease(on: cursor, releaseStatement: "Released to L car."), id)
        try await record(.concurInSoloRelease(on: cursor), id, by: Self.chief)
        try await record(.startProbation(start: cursor), id)
        return cursor
    }
}
