import TrainingDomain

/// Drives the decider like the service layer would: fixed clock, incrementing entry ids.
struct Scenario {
    static let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
    static let fto1 = Actor(id: OfficerID("fto.ramos"), role: .fto)
    static let fto2 = Actor(id: OfficerID("fto.chen"), role: .fto)
    /// Evaluates phases she does not train.
    static let fto3 = Actor(id: OfficerID("fto.adeyemi"), role: .fto)
    static let instructor = Actor(id: OfficerID("inst.vance"), role: .academyInstructor)
    static let chief = Actor(id: OfficerID("chief.perez"), role: .chief)
    static let trainee = TraineeID("t-100")
    static let traineeActor = Actor(id: OfficerID("t-100"), role: .trainee)
    static let hire = Day("2025-01-06")!

    var file = PersonnelFile()
    var entries: [Entry] = []
    var today = Day("2027-06-30")!
    var policies = PolicyBook.default
    var ftoQualifications: [OfficerID: FTOQualificationRecord] = {
        var record = FTOQualificationRecord()
        record.qualifiedOn = Day("2024-01-10")!
        record.basicCertificate = .init(number: "BC-1001", on: Day("2019-06-01")!)
        record.patrolSince = Day("2019-07-01")!
        return [fto1.id: record, fto2.id: record, fto3.id: record]
    }()
    var nextID = 1
    /// Whose record this is, when a case needs the decider to know.
    var subject: OfficerID?

    var policy: TrainingPolicy { policies.policy(on: today) }

    @discardableResult
    mutating func run(_ command: TrainingCommand, as actor: Actor = Scenario.sergeant) throws(DomainError) -> Entry {
        let context = CommandContext(
            actor: actor, subject: subject, today: today, policies: policies, ftoQualifications: ftoQualifications,
            newEntryIDs: [EntryID("e\(nextID)")])
        let new = try TrainingDecider.decide(command, file, context)
        nextID += 1
        for entry in new { TrainingDecider.evolve(&file, entry) }
        entries += new
        return new[0]
    }

    /// Applies a command that must succeed (test set-up).
    @discardableResult
    mutating func given(_ command: TrainingCommand, as actor: Actor = Scenario.sergeant) -> Entry {
        do {
            return try run(command, as: actor)
        } catch {
            fatalError("set-up command \(command) failed: \(error)")
        }
    }

    static func acceptable(_ value: Int = 4) -> [Category: Rating] {
        Dictionary(uniqueKeysWithValues: TrainingPolicy.pasadenaDefault.fieldTraining.categories.map { ($0, Rating.score(value)) })
    }

    /// A phase report with every category acceptable, recommending advancement.
    static func advancing(_ value: Int = 4) -> PhaseReportContent {
        PhaseReportContent(ratings: acceptable(value), recommendation: .advance, narrative: "Meets the solo standard in every category.")
    }

    // MARK: - Stages

    static func hired() -> Scenario {
        var s = Scenario()
        s.given(.hireRecruit(trainee: trainee, name: "Dana Whitfield", badge: "R-2291", hireDate: hire, agency: AgencyID("pasadena")))
        return s
    }

    static func inAcademy() -> Scenario {
        var s = hired()
        s.given(
            .enrollInAcademy(classNumber: "OC-25-1", academy: "Orange County Sheriff's Regional Academy", start: hire.adding(days: 7), source: nil))
        return s
    }

    static func graduated() -> Scenario {
        var s = inAcademy()
        for test in s.policy.academy.requiredTests {
            s.given(
                .recordAcademyTest(test: test, passed: true, score: 88, instructor: "Vance", on: hire.adding(days: 100), source: nil), as: instructor)
        }
        s.given(.graduateAcademy(on: hire.adding(days: 190)))
        return s
    }

    static var fieldTrainingStart: Day { hire.adding(days: 200) }

    static func inFieldTraining() -> Scenario {
        var s = graduated()
        s.given(.startFieldTraining(on: fieldTrainingStart))
        s.given(.assignFTO(fto: fto1.id, phase: 1, on: fieldTrainingStart))
        s.given(.recordOrientation(from: fieldTrainingStart, to: fieldTrainingStart.adding(days: 4), topics: ["policies", "facilities"]))
        return s
    }

    /// All phases signed, checklist done, 10 acceptable DORs, courses current, attested.
    static func readyForSolo() -> Scenario {
        var s = inFieldTraining()
        var day = fieldTrainingStart
        for phase in s.policy.fieldTraining.phases {
            let fto = phase.number % 2 == 0 ? fto2 : fto1
            if phase.number > 1 { s.given(.assignFTO(fto: fto.id, phase: phase.number, on: day)) }
            for shift in 0..<3 {
                s.given(
                    .fileDailyObservation(fto: fto.id, shiftDate: day.adding(days: 1 + shift * 7), ratings: acceptable(), narrative: "Solid shift."),
                    as: fto)
            }
            day = day.adding(days: phase.minimumWeeks * 7)
            s.given(.evaluatePhase(phase: phase.number, evaluator: fto3.id, report: advancing(), on: day), as: fto3)
            s.given(.completePhase(phase: phase.number, on: day, earlyCompletionReason: nil))
        }
        for task in s.policy.fieldTraining.requiredTasks {
            s.given(.signOffTask(task: task, fto: fto1.id, callReference: "CAD-\(task)", on: day), as: fto1)
            s.given(.acknowledgeTask(task: task, on: day), as: traineeActor)
        }
        s.given(
            .recordCourse(
                courseType: "use_of_force", title: "UoF refresher", hours: 4, provider: "PPD", instructor: nil, completedOn: day,
                certificateReference: "C1"))
        s.given(
            .recordCourse(
                courseType: "implicit_bias", title: "RIPA refresher", hours: 2, provider: "POST", instructor: "Lt. Gray", completedOn: day,
                certificateReference: "C2"))
        s.given(.attestCompetency(fto: fto1.id, statement: "Competent to patrol alone.", on: day), as: fto1)
        s.today = day.adding(days: 1)
        return s
    }

    static var soloDay: Day {
        fieldTrainingStart.adding(days: TrainingPolicy.pasadenaDefault.fieldTraining.totalMinimumWeeks * 7)
    }

    static func onProbation() -> Scenario {
        var s = readyForSolo()
        s.given(.requestSoloRelease(on: soloDay, releaseStatement: "Released to L car."))
        s.given(.concurInSoloRelease(on: soloDay), as: chief)
        s.given(.startProbation(start: soloDay))
        return s
    }
}
